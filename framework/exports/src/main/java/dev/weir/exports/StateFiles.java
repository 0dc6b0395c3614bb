package dev.weir.exports;

import dev.weir.realtime.StoreFileSystem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    fs.createDirectories(dir);
    fs.replace(
        file, dir.resolve(file.getFileName() + ".tmp"), text.getBytes(StandardCharsets.UTF_8));
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
