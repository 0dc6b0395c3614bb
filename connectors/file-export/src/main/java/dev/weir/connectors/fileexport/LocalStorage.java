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
  public java.util.List<String> list(String prefix) throws IOException {
    Path dir = root.resolve(prefix).normalize();
    if (!dir.startsWith(root) || !Files.isDirectory(dir)) {
      return java.util.List.of();
    }
    try (var s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().startsWith("."))
          .map(f -> root.relativize(f).toString().replace(java.io.File.separatorChar, '/'))
          .sorted()
          .toList();
    }
  }

  @Override
  public void get(String key, Path to) throws IOException {
    Path source = root.resolve(key).normalize();
    if (!source.startsWith(root)) {
      throw new IOException("key " + key + " leaves the export directory");
    }
    Files.copy(source, to, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public String location(String key) {
    return root.resolve(key).toString();
  }
}
