package dev.weir.connectors.fileexport;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A local directory: copy to a temp name beside the target, fsync, rename into place, fsync the
 * directory.
 */
final class LocalStorage implements Storage {
  private final Path root;

  LocalStorage(Path root) throws IOException {
    this.root = Files.createDirectories(root);
  }

  @Override
  public void put(String key, Path file) throws IOException {
    Path target = root.resolve(key).normalize();
    if (!target.startsWith(root)) {
      throw new IOException("key " + key + " leaves the export directory");
    }
    Path dir = Files.createDirectories(target.getParent());
    Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
    Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException ignored) {
      // directories cannot be fsynced on every file system; the rename is atomic regardless
    }
  }

  @Override
  public String location(String key) {
    return root.resolve(key).toString();
  }
}
