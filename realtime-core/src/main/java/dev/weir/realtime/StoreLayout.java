package dev.weir.realtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The store-wide facts kept beside the partitions: the partition count the store was created with
 * ({@code partitions}), checked on every open, because events are placed by a hash modulo the count
 * and another count would hide them from dedup, reads and deletion.
 */
final class StoreLayout {
  static final String PARTITIONS_FILE = "partitions";
  private static final Pattern PARTITION_DIR = Pattern.compile("p\\d+");

  private StoreLayout() {}

  /**
   * Fails when the store at {@code options.dir()} holds another partition count than configured;
   * records the count of a new store (or of one written before the count was recorded).
   */
  static void checkPartitions(StoreOptions options) throws IOException {
    Path dir = options.dir();
    int configured = options.partitions();
    int stored = storedPartitions(dir);
    if (stored > 0 && stored != configured) {
      throw new PartitionCountMismatchException(
          "the store at "
              + dir
              + " has "
              + stored
              + " partitions but the configuration asks for "
              + configured
              + " (store.partitions); keep "
              + stored
              + ", or stop Weir and run `weir store repartition --to "
              + configured
              + "` on this store first");
    }
    if (!Files.exists(dir.resolve(PARTITIONS_FILE))) {
      StoreFiles.writeAtomically(
          options.fileSystem(),
          dir.resolve(PARTITIONS_FILE),
          Integer.toString(configured).getBytes(StandardCharsets.US_ASCII));
    }
  }

  /**
   * The partition count recorded in (or, for a store older than the record, seen in) {@code dir}; 0
   * for an empty directory.
   */
  static int storedPartitions(Path dir) throws IOException {
    long recorded = StoreFiles.readLong(dir.resolve(PARTITIONS_FILE), -1);
    if (recorded > 0) {
      return (int) recorded;
    }
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return (int)
          s.filter(
                  p ->
                      Files.isDirectory(p)
                          && PARTITION_DIR.matcher(p.getFileName().toString()).matches())
              .count();
    }
  }

  /** Opening a store with another partition count than it holds. */
  static final class PartitionCountMismatchException extends IOException {
    PartitionCountMismatchException(String message) {
      super(message);
    }
  }
}
