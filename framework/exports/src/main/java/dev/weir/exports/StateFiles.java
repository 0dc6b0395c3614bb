package dev.weir.exports;

import dev.weir.realtime.StoreFileSystem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Small durable files, written through the {@link StoreFileSystem} seam: to a temp file, fsynced,
 * renamed over the old one, directory fsynced (and a directory this creates, in its parent).
 */
final class StateFiles {
  private StateFiles() {}

  static void writeAtomically(Path file, String text) throws IOException {
    writeAtomically(StoreFileSystem.DEFAULT, file, text);
  }

  static void writeAtomically(StoreFileSystem fs, Path file, String text) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    createDirectories(fs, dir);
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    try (FileChannel ch =
        fs.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    fs.move(tmp, file);
    fs.syncDirectory(dir);
  }

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

  /** The file's non-blank lines, or an empty list when it does not exist. */
  static List<String> lines(Path file) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
        .filter(l -> !l.isBlank())
        .toList();
  }
}
