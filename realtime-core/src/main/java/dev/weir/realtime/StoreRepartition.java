package dev.weir.realtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Rewrites an offline store with another partition count: every event the store holds is read (its
 * recovery runs first), in upload-time order across the old partitions, and appended to a new store
 * built beside it ({@code <dir>/repartition-new/}), so each lands in the partition its key hashes
 * to under the new count, with its dedup key. Then the old store's files move to {@code
 * <dir>/before-repartition/} (kept for the operator to delete) and the new store's files take their
 * place. Other directories under {@code <dir>} (the host's delivery, export and connector state)
 * are not touched. Sequences and chunk ids are new: whatever refers to them must be rebased by the
 * caller. Not thread-safe; the store must not be open (its lock is taken).
 */
public final class StoreRepartition {
  static final String NEW_DIR = "repartition-new";
  static final String BEFORE_DIR = "before-repartition";
  private static final Pattern PARTITION_DIR = Pattern.compile("p\\d+");
  private static final int READ = 1000;

  private StoreRepartition() {}

  /** The partition count the store at {@code dir} holds; 0 when there is no store. */
  public static int partitionsOf(Path dir) throws IOException {
    return StoreLayout.storedPartitions(dir);
  }

  /**
   * What a repartition did.
   *
   * @param from the partition count before
   * @param to the partition count after
   * @param events the events read from the old store and appended to the new one
   * @param before where the old store's files were moved
   */
  public record Report(int from, int to, long events, Path before) {}

  /**
   * Repartitions the store at {@code options.dir()} (its recorded count, whatever {@code
   * options.partitions()} says) to {@code to} partitions; every other option is kept. Fails, with
   * the store unchanged, when {@code to} is the current count or out of range, or when a previous
   * repartition's {@code before-repartition/} is still there.
   */
  public static Report repartition(StoreOptions options, int to) throws IOException {
    Path dir = options.dir();
    int from = StoreLayout.storedPartitions(dir);
    if (from == 0) {
      throw new IOException("no store at " + dir);
    }
    if (to == from) {
      throw new IllegalArgumentException(
          "the store at " + dir + " already has " + to + " partitions");
    }
    StoreOptions.builder(dir).partitions(to); // range check before anything is written
    Path before = dir.resolve(BEFORE_DIR);
    if (Files.exists(before)) {
      throw new IOException(
          before + " exists (from an earlier repartition): move it away or delete it first");
    }
    Path fresh = dir.resolve(NEW_DIR);
    deleteTree(fresh); // a repartition cut short left it; the old store is intact
    long events = 0;
    try (RealtimeStore old = RealtimeStore.open(options.toBuilder().partitions(from).build());
        RealtimeStore next =
            RealtimeStore.open(options.toBuilder().dir(fresh).partitions(to).build())) {
      events = copy(old, next);
      if (next.stats().stored() != events) {
        throw new IOException(
            "repartition stored "
                + next.stats().stored()
                + " of "
                + events
                + " events; the old store is unchanged");
      }
    }
    swap(options.fileSystem(), dir, fresh, before);
    return new Report(from, to, events, before);
  }

  /** Appends every event of {@code old} to {@code next}, oldest upload time first. */
  private static long copy(RealtimeStore old, RealtimeStore next) throws IOException {
    record Head(int partition, List<StoredEvent> page, int index) {
      StoredEvent event() {
        return page.get(index);
      }
    }
    PriorityQueue<Head> heads =
        new PriorityQueue<>(
            Comparator.comparingLong((Head h) -> h.event().event().uploadTime())
                .thenComparingInt(Head::partition)
                .thenComparingLong(h -> h.event().sequence()));
    for (int p = 0; p < old.partitionCount(); p++) {
      List<StoredEvent> page = old.read(p, 0, READ);
      if (!page.isEmpty()) {
        heads.add(new Head(p, page, 0));
      }
    }
    long n = 0;
    List<dev.weir.sdk.Event> batch = new ArrayList<>(READ);
    while (!heads.isEmpty()) {
      Head h = heads.poll();
      batch.add(h.event().event());
      if (batch.size() == READ) {
        n += append(next, batch);
      }
      if (h.index() + 1 < h.page().size()) {
        heads.add(new Head(h.partition(), h.page(), h.index() + 1));
      } else {
        List<StoredEvent> page = old.read(h.partition(), h.event().sequence() + 1, READ);
        if (!page.isEmpty()) {
          heads.add(new Head(h.partition(), page, 0));
        }
      }
    }
    return n + append(next, batch);
  }

  private static long append(RealtimeStore next, List<dev.weir.sdk.Event> batch)
      throws IOException {
    if (batch.isEmpty()) {
      return 0;
    }
    List<AppendResult> results = next.append(batch);
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i).status() == AppendResult.Status.REJECTED) {
        throw new IOException(
            "the new store refused event "
                + batch.get(i).insertId()
                + ": "
                + results.get(i).reason()
                + "; the old store is unchanged");
      }
    }
    long n = batch.size();
    batch.clear();
    return n;
  }

  /**
   * The old store's entries (its partition directories and every name the new store has) move into
   * {@code before}, then the new store's entries into {@code dir}.
   */
  private static void swap(StoreFileSystem fs, Path dir, Path fresh, Path before)
      throws IOException {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> s = Files.list(fresh)) {
      s.forEach(p -> names.add(p.getFileName().toString()));
    }
    try (Stream<Path> s = Files.list(dir)) {
      s.map(p -> p.getFileName().toString())
          .filter(n -> PARTITION_DIR.matcher(n).matches())
          .forEach(names::add);
    }
    Files.createDirectories(before);
    fs.syncDirectory(dir);
    for (String n : names) {
      if (Files.exists(dir.resolve(n))) {
        fs.move(dir.resolve(n), before.resolve(n));
      }
    }
    fs.syncDirectory(before);
    fs.syncDirectory(dir);
    // the partition count last: until it moves in, the directory holds no store of either count
    List<String> order = new ArrayList<>(names);
    order.remove(StoreLayout.PARTITIONS_FILE);
    order.add(StoreLayout.PARTITIONS_FILE);
    for (String n : order) {
      if (Files.exists(fresh.resolve(n))) {
        fs.move(fresh.resolve(n), dir.resolve(n));
      }
    }
    fs.syncDirectory(dir);
    deleteTree(fresh);
    fs.syncDirectory(dir);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
