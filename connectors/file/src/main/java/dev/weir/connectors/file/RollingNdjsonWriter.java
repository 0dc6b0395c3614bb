package dev.weir.connectors.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Appends lines to {@code <prefix>-<utc time>-<n>.ndjson.tmp} and, on rotation or close, fsyncs it
 * and renames it to {@code .ndjson} (then fsyncs the directory so the rename survives a crash).
 * Thread-safe: every method locks this.
 */
final class RollingNdjsonWriter implements AutoCloseable {
  static final String COMPLETE_SUFFIX = ".ndjson";
  static final String OPEN_SUFFIX = ".ndjson.tmp";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Path dir;
  private final String prefix;
  private final long maxBytes;
  private final Duration maxAge;
  private final boolean fsyncEachBatch;
  private final Clock clock;

  private FileChannel channel;
  private Path openPath;
  private Instant openedAt;
  private long size;
  private long counter;
  private boolean closed;

  RollingNdjsonWriter(
      Path dir, String prefix, long maxBytes, Duration maxAge, boolean fsyncEachBatch, Clock clock)
      throws IOException {
    this.dir = dir;
    this.prefix = prefix;
    this.maxBytes = maxBytes;
    this.maxAge = maxAge;
    this.fsyncEachBatch = fsyncEachBatch;
    this.clock = clock;
    Files.createDirectories(dir);
  }

  /**
   * Finalises {@code .tmp} files a crashed run left behind, cutting any partial last line; returns
   * how many.
   */
  synchronized int recoverLeftovers() throws IOException {
    int n = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, prefix + "-*" + OPEN_SUFFIX)) {
      for (Path p : files) {
        try (FileChannel ch =
            FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
          long keep = lastNewlineEnd(ch);
          ch.truncate(keep);
          ch.force(true);
        }
        if (Files.size(p) == 0) {
          Files.delete(p);
        } else {
          Files.move(p, completeName(p), StandardCopyOption.ATOMIC_MOVE);
          n++;
        }
      }
    }
    fsyncDir();
    return n;
  }

  /** Appends one line per non-null entry; rotates first when the open file is full or old. */
  synchronized void append(List<byte[]> lines) throws IOException {
    if (closed) {
      throw new IOException("writer is closed");
    }
    if (channel != null && (size >= maxBytes || isOld())) {
      rotate();
    }
    if (channel == null) {
      open();
    }
    int total = 0;
    for (byte[] l : lines) {
      total += l == null ? 0 : l.length + 1;
    }
    ByteBuffer buf = ByteBuffer.allocate(total);
    for (byte[] l : lines) {
      if (l != null) {
        buf.put(l).put((byte) '\n');
      }
    }
    buf.flip();
    while (buf.hasRemaining()) {
      size += channel.write(buf);
    }
    if (fsyncEachBatch) {
      channel.force(false);
    }
    if (size >= maxBytes) {
      rotate();
    }
  }

  synchronized void rotateIfOld() throws IOException {
    if (channel != null && isOld()) {
      rotate();
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (!closed) {
      closed = true;
      rotate();
    }
  }

  private boolean isOld() {
    return !clock.instant().isBefore(openedAt.plus(maxAge));
  }

  private void open() throws IOException {
    openedAt = clock.instant();
    Path p;
    do {
      p =
          dir.resolve(
              prefix
                  + "-"
                  + STAMP.format(openedAt)
                  + "-"
                  + String.format("%06d", counter++)
                  + OPEN_SUFFIX);
    } while (Files.exists(p) || Files.exists(completeName(p)));
    channel = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    openPath = p;
    size = 0;
    if (fsyncEachBatch) {
      fsyncDir(); // the new file's directory entry, or a batch fsynced into it can vanish with it
    }
  }

  private void rotate() throws IOException {
    if (channel == null) {
      return;
    }
    channel.force(true);
    channel.close();
    channel = null;
    if (size == 0) {
      Files.deleteIfExists(openPath);
    } else {
      Files.move(openPath, completeName(openPath), StandardCopyOption.ATOMIC_MOVE);
    }
    fsyncDir();
  }

  private static Path completeName(Path open) {
    String name = open.getFileName().toString();
    return open.resolveSibling(name.substring(0, name.length() - ".tmp".length()));
  }

  private static long lastNewlineEnd(FileChannel ch) throws IOException {
    long pos = ch.size();
    ByteBuffer one = ByteBuffer.allocate(1);
    while (pos > 0) {
      one.clear();
      ch.read(one, pos - 1);
      if (one.get(0) == '\n') {
        return pos;
      }
      pos--;
    }
    return 0;
  }

  /** Directory fsyncs done (for tests). */
  int directorySyncs;

  private void fsyncDir() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
      directorySyncs++;
    } catch (IOException ignored) {
      // Some platforms cannot open directories; the renames are still atomic there.
    }
  }
}
