package dev.weir.realtime;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Every file operation the store performs goes through this seam, so tests can inject torn writes,
 * full disks and failing renames. The default implementation is the real file system.
 * Implementations must be thread-safe.
 */
public interface StoreFileSystem {
  /** The real file system. */
  StoreFileSystem DEFAULT = new StoreFileSystem() {};

  /** Opens a channel; all data the store writes goes through channels opened here. */
  default FileChannel open(Path path, OpenOption... options) throws IOException {
    return FileChannel.open(path, options);
  }

  /** Atomically renames {@code from} to {@code to}, replacing it. */
  default void move(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Deletes a file if it exists. */
  default void delete(Path path) throws IOException {
    Files.deleteIfExists(path);
  }

  /** Makes a directory's entries (creations, renames, deletions) durable. */
  default void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // some file systems cannot open or sync directories; the rename itself is still atomic there
    }
  }

  // Composed from the operations above, so a test seam that overrides them sees every step.

  /** Creates {@code dir} and its missing parents; each new directory's entry is fsynced. */
  default void createDirectories(Path dir) throws IOException {
    Path abs = dir.toAbsolutePath();
    if (Files.isDirectory(abs)) {
      return;
    }
    Path parent = abs.getParent();
    if (parent != null) {
      createDirectories(parent);
    }
    Files.createDirectories(abs);
    if (parent != null) {
      syncDirectory(parent);
    }
  }

  /**
   * Replaces {@code file} atomically and durably: writes {@code temp}, fsyncs it, renames it over
   * {@code file} and fsyncs the directory. A crash leaves the old file or the new one.
   */
  default void replace(Path file, Path temp, byte[] bytes) throws IOException {
    try (FileChannel ch =
        open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      writeFully(ch, bytes);
      ch.force(true);
    }
    move(temp, file);
    syncDirectory(file.toAbsolutePath().getParent());
  }

  /** Appends to {@code file} and fsyncs it; when this created the file, its directory too. */
  default void append(Path file, byte[] bytes) throws IOException {
    boolean created = !Files.exists(file);
    try (FileChannel ch =
        open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      writeFully(ch, bytes);
      ch.force(false);
    }
    if (created) {
      syncDirectory(file.toAbsolutePath().getParent());
    }
  }

  private static void writeFully(FileChannel ch, byte[] bytes) throws IOException {
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }
}
