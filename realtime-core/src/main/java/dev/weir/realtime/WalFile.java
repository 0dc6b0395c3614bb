package dev.weir.realtime;

import dev.weir.sdk.Event;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * One block's write-ahead file: a sequence of records {@code [int length][int crc32c][payload]}
 * (big-endian), the payload being the event's sequence (long) and its record ({@link
 * Event#toRecord()}; {@link Records} also reads the first format). Writes happen under the owning
 * partition's lock; {@link #force()} may run concurrently from the group-commit leader.
 */
final class WalFile {
  static final int HEADER = 8;
  static final int MAX_RECORD = 64 << 20;

  final Path path;
  private final FileChannel ch;
  private long size;
  private volatile boolean closed;

  private WalFile(Path path, FileChannel ch, long size) {
    this.path = path;
    this.ch = ch;
    this.size = size;
  }

  static WalFile create(StoreFileSystem fs, Path path) throws IOException {
    FileChannel ch =
        fs.open(
            path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
    return new WalFile(path, ch, 0);
  }

  static WalFile reopen(StoreFileSystem fs, Path path) throws IOException {
    FileChannel ch = fs.open(path, StandardOpenOption.WRITE, StandardOpenOption.READ);
    return new WalFile(path, ch, ch.size());
  }

  long size() {
    return size;
  }

  boolean isClosed() {
    return closed;
  }

  /** Appends all bytes; on failure the caller truncates back with {@link #truncate(long)}. */
  void write(byte[] data, int len) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(data, 0, len);
    long pos = size;
    while (buf.hasRemaining()) {
      pos += ch.write(buf, pos);
    }
    size = pos;
  }

  void truncate(long to) throws IOException {
    ch.truncate(to);
    size = to;
  }

  /** fsyncs the data written so far; a no-op once closed (close forces first). */
  void force() throws IOException {
    if (closed) {
      return;
    }
    try {
      ch.force(false);
    } catch (ClosedChannelException e) {
      if (!closed) {
        throw e;
      }
    }
  }

  /** fsyncs and closes. */
  synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      ch.force(false);
    } finally {
      closed = true;
      ch.close();
    }
  }

  /** Closes without fsync (the file is about to be deleted). */
  synchronized void abandon() {
    closed = true;
    try {
      ch.close();
    } catch (IOException ignored) {
      // being deleted anyway
    }
  }

  /** Encodes records into a reusable buffer. Not thread-safe. */
  static final class Encoder {
    private final CRC32C crc = new CRC32C();

    /** Appends one record for (sequence, event) to {@code target}. */
    void encode(long sequence, Event event, Buffer target) {
      encode(sequence, eventBytes(event), target);
    }

    /** Appends one record for (sequence, pre-encoded event) to {@code target}. */
    void encode(long sequence, byte[] eventBytes, Buffer target) {
      byte[] seq = new byte[8];
      for (int i = 0; i < 8; i++) {
        seq[i] = (byte) (sequence >>> (56 - 8 * i));
      }
      crc.reset();
      crc.update(seq, 0, 8);
      crc.update(eventBytes, 0, eventBytes.length);
      target.putInt(8 + eventBytes.length);
      target.putInt((int) crc.getValue());
      target.put(seq, 0, 8);
      target.put(eventBytes, 0, eventBytes.length);
    }
  }

  /**
   * The payload of an event without its sequence; thread-safe, so appenders encode before taking
   * locks.
   */
  static byte[] eventBytes(Event event) {
    return event.toRecord();
  }

  /** A growable byte buffer. */
  static final class Buffer {
    byte[] bytes = new byte[1024];
    int length;

    void putInt(int v) {
      ensure(4);
      bytes[length++] = (byte) (v >>> 24);
      bytes[length++] = (byte) (v >>> 16);
      bytes[length++] = (byte) (v >>> 8);
      bytes[length++] = (byte) v;
    }

    void put(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, bytes, length, len);
      length += len;
    }

    private void ensure(int n) {
      if (length + n > bytes.length) {
        bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
      }
    }
  }

  /**
   * The records recovered from a file and where the valid data ends. Records stay encoded in the
   * file's bytes ({@link #data()} at {@link #offset(int)}); {@link #events()} decodes them on first
   * use.
   */
  static final class Replay {
    private final byte[] data;
    private final int count;
    private final long[] seqs;
    private final int[] offsets;
    private final int[] lengths;
    private final Records.Header[] headers;
    private final long validLength;
    private final boolean truncated;
    private List<Event> events;

    private Replay(Builder b, long validLength, boolean truncated) {
      this.data = b.data;
      this.count = b.count;
      this.seqs = b.seqs;
      this.offsets = b.offsets;
      this.lengths = b.lengths;
      this.headers = b.headers;
      this.validLength = validLength;
      this.truncated = truncated;
    }

    int size() {
      return count;
    }

    long seq(int i) {
      return seqs[i];
    }

    byte[] data() {
      return data;
    }

    /** Where record {@code i}'s event bytes start in {@link #data()}. */
    int offset(int i) {
      return offsets[i];
    }

    int length(int i) {
      return lengths[i];
    }

    /** Record {@code i}'s dedup-key parts and times, read without decoding it. */
    Records.Header header(int i) {
      return headers[i];
    }

    long validLength() {
      return validLength;
    }

    boolean truncated() {
      return truncated;
    }

    List<Long> sequences() {
      return new java.util.AbstractList<>() {
        @Override
        public Long get(int i) {
          java.util.Objects.checkIndex(i, count);
          return seqs[i];
        }

        @Override
        public int size() {
          return count;
        }
      };
    }

    /** Every record decoded, in file order (decoded once, on the first call). */
    synchronized List<Event> events() {
      if (events == null) {
        Event[] out = new Event[count];
        for (int i = 0; i < count; i++) {
          out[i] = Records.decode(data, offsets[i], lengths[i]);
        }
        events = List.of(out);
      }
      return events;
    }

    private static final class Builder {
      final byte[] data;
      int count;
      long[] seqs = new long[64];
      int[] offsets = new int[64];
      int[] lengths = new int[64];
      Records.Header[] headers = new Records.Header[64];

      Builder(byte[] data) {
        this.data = data;
      }

      void add(long seq, int off, int len, Records.Header h) {
        if (count == seqs.length) {
          int cap = count * 2;
          seqs = java.util.Arrays.copyOf(seqs, cap);
          offsets = java.util.Arrays.copyOf(offsets, cap);
          lengths = java.util.Arrays.copyOf(lengths, cap);
          headers = java.util.Arrays.copyOf(headers, cap);
        }
        seqs[count] = seq;
        offsets[count] = off;
        lengths[count] = len;
        headers[count] = h;
        count++;
      }
    }
  }

  /**
   * Reads every valid record. Bytes that do not form a valid record (a torn tail, a corrupt length
   * header or payload in the middle) are skipped up to the next offset where a record verifies
   * (plausible length and matching CRC32C), so every later good record is kept. With {@code
   * repair}, the unreadable bytes are copied aside to {@code p<N>/corrupt/<file>.<offset>.corrupt}
   * (never deleted) and the file is rewritten without them; each region is reported. Never throws
   * for bad content.
   */
  static Replay replay(StoreFileSystem fs, Path path, boolean repair, Consumer<String> problems)
      throws IOException {
    byte[] data;
    try (FileChannel ch = fs.open(path, StandardOpenOption.READ)) {
      long n = ch.size();
      if (n > Integer.MAX_VALUE - 16) {
        throw new IOException("write-ahead file too large: " + path);
      }
      data = new byte[(int) n];
      ByteBuffer buf = ByteBuffer.wrap(data);
      while (buf.hasRemaining()) {
        if (ch.read(buf, buf.position()) < 0) {
          break;
        }
      }
    }
    ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.BIG_ENDIAN);
    Replay.Builder found = new Replay.Builder(data);
    List<int[]> bad = new ArrayList<>();
    CRC32C crc = new CRC32C();
    int pos = 0;
    int end = data.length;
    while (pos < end) {
      int valid = validRecordLength(b, pos, end, crc);
      if (valid < 0) {
        int next = pos + 1;
        while (next < end && validRecordLength(b, next, end, crc) < 0) {
          next++;
        }
        bad.add(new int[] {pos, next});
        int len = end - pos >= HEADER ? b.getInt(pos) : -1;
        String why =
            end - pos < HEADER
                ? "short header"
                : len > 8 && len <= MAX_RECORD && len <= end - pos - HEADER
                    ? "bad CRC"
                    : "impossible length " + len;
        problems.accept(
            path.getFileName()
                + (next < end ? ": corrupt bytes at offset " : ": torn or corrupt tail at offset ")
                + pos
                + " ("
                + why
                + ")"
                + ", "
                + (next - pos)
                + " bytes skipped"
                + (next < end ? ", reading on from offset " + next : "")
                + (repair ? ", moved aside to " + asidePath(path, pos).getFileName() : ""));
        pos = next;
        continue;
      }
      try {
        long seq = new BytesInput(data, pos + HEADER, 8).readLong();
        int off = pos + HEADER + 8;
        // one pass over the record: its structure is checked, four fields read, nothing built
        found.add(seq, off, valid - 8, Records.header(data, off, valid - 8));
      } catch (IOException | RuntimeException e) {
        problems.accept(
            path.getFileName()
                + ": undecodable record at offset "
                + pos
                + " skipped: "
                + e.getMessage());
      }
      pos += HEADER + valid;
    }
    if (bad.isEmpty()) {
      return new Replay(found, end, false);
    }
    int kept = end;
    for (int[] r : bad) {
      kept -= r[1] - r[0];
    }
    if (repair) {
      for (int[] r : bad) {
        Path aside = asidePath(path, r[0]);
        Files.createDirectories(aside.getParent());
        writeFile(fs, aside, data, List.of(new int[] {r[0], r[1]}));
        fs.syncDirectory(aside.getParent());
      }
      if (bad.size() == 1 && bad.get(0)[1] == end) {
        try (FileChannel ch = fs.open(path, StandardOpenOption.WRITE)) {
          ch.truncate(bad.get(0)[0]);
          ch.force(true);
        }
      } else {
        List<int[]> good = new ArrayList<>();
        int from = 0;
        for (int[] r : bad) {
          if (r[0] > from) {
            good.add(new int[] {from, r[0]});
          }
          from = r[1];
        }
        if (from < end) {
          good.add(new int[] {from, end});
        }
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        writeFile(fs, tmp, data, good);
        fs.move(tmp, path);
        fs.syncDirectory(path.getParent());
      }
    }
    return new Replay(found, kept, true);
  }

  /** Where unreadable bytes of {@code wal} starting at {@code offset} are kept. */
  static Path asidePath(Path wal, int offset) {
    return wal.getParent()
        .resolveSibling("corrupt")
        .resolve(
            wal.getParent().getFileName() + "-" + wal.getFileName() + "." + offset + ".corrupt");
  }

  private static void writeFile(StoreFileSystem fs, Path target, byte[] data, List<int[]> ranges)
      throws IOException {
    try (FileChannel ch =
        fs.open(
            target,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      long pos = 0;
      for (int[] r : ranges) {
        ByteBuffer buf = ByteBuffer.wrap(data, r[0], r[1] - r[0]);
        while (buf.hasRemaining()) {
          pos += ch.write(buf, pos);
        }
      }
      ch.force(true);
    }
  }

  /** The payload length of a valid record at pos, or -1. */
  private static int validRecordLength(ByteBuffer b, int pos, int end, CRC32C crc) {
    if (end - pos < HEADER) {
      return -1;
    }
    int len = b.getInt(pos);
    if (len <= 8 || len > MAX_RECORD || len > end - pos - HEADER) {
      return -1;
    }
    int expected = b.getInt(pos + 4);
    crc.reset();
    crc.update(b.array(), pos + HEADER, len);
    return (int) crc.getValue() == expected ? len : -1;
  }
}
