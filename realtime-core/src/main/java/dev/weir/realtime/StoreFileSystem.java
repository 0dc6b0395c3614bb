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
}
