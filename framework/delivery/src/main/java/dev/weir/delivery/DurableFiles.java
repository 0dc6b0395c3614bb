package dev.weir.delivery;

import dev.weir.realtime.StoreFileSystem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The engine's small durable files, written through the {@link StoreFileSystem} seam: a file is
 * counted durable only once its contents are fsynced and its directory entry is too (after it was
 * created or renamed into place), else a power loss can take it back.
 */
final class DurableFiles {
  private DurableFiles() {}

  /** Creates {@code dir} (and its parents); each new directory's entry is fsynced in its parent. */
  static void createDirectories(StoreFileSystem fs, Path dir) throws IOException {
    Path abs = dir.toAbsolutePath();
    if (Files.isDirectory(abs)) {
      return;
    }
    Path parent = abs.getParent();
    if (parent != null) {
      createDirectories(fs, parent);
    }
    Files.createDirectories(abs);
    if (parent != null) {
      fs.syncDirectory(parent);
    }
  }

  /**
   * Replaces {@code file} atomically: writes {@code temp}, fsyncs it, renames it over {@code file}
   * and fsyncs the directory. A crash leaves the old file or the new one.
   */
  static void replace(StoreFileSystem fs, Path file, Path temp, byte[] bytes) throws IOException {
    try (FileChannel ch =
        fs.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      write(ch, bytes);
      ch.force(true);
    }
    fs.move(temp, file);
    fs.syncDirectory(file.toAbsolutePath().getParent());
  }

  /** Appends to {@code file} and fsyncs it; when this created the file, its directory too. */
  static void append(StoreFileSystem fs, Path file, byte[] bytes) throws IOException {
    boolean created = !Files.exists(file);
    try (FileChannel ch =
        fs.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      write(ch, bytes);
      ch.force(false);
    }
    if (created) {
      fs.syncDirectory(file.toAbsolutePath().getParent());
    }
  }

  private static void write(FileChannel ch, byte[] bytes) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }
}
