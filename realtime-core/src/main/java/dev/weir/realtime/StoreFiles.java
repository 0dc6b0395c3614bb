package dev.weir.realtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Small durable files (batch number, sequence floor, deletion intents): written to a temp file,
 * fsynced, renamed.
 */
final class StoreFiles {
  private StoreFiles() {}

  static void writeAtomically(StoreFileSystem fs, Path path, byte[] content) throws IOException {
    Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
    try (FileChannel ch =
        fs.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(content);
      long pos = 0;
      while (b.hasRemaining()) {
        pos += ch.write(b, pos);
      }
      ch.force(true);
    }
    fs.move(tmp, path);
    fs.syncDirectory(path.getParent());
  }

  /**
   * The long in a file written by {@link #writeAtomically}, or {@code dflt} when absent or
   * unreadable.
   */
  static long readLong(Path path, long dflt) {
    try {
      return Files.exists(path) ? Long.parseLong(Files.readString(path).trim()) : dflt;
    } catch (IOException | NumberFormatException e) {
      return dflt;
    }
  }
}
