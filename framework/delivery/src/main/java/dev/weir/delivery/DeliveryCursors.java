package dev.weir.delivery;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The saved delivery cursors of an engine's state directory, for offline tools that change the
 * store's sequences (a repartition): whether every destination has delivered everything, and moving
 * every cursor to the new ends. Not for a running engine. Stateless.
 */
public final class DeliveryCursors {
  private DeliveryCursors() {}

  /**
   * For an offline store whose sequences are about to change (a repartition): the destinations
   * whose cursors saved under {@code stateDir} are not yet at {@code ends} (the next sequence per
   * partition), that is, that have events not yet delivered or still pending.
   */
  public static List<String> undelivered(Path stateDir, Map<Integer, Long> ends) {
    List<String> out = new java.util.ArrayList<>();
    for (String id : savedCursors(stateDir)) {
      Map<Integer, PartitionState> saved = new CursorStore(stateDir.resolve("cursors"), id).load();
      for (Map.Entry<Integer, Long> e : ends.entrySet()) {
        PartitionState s = saved.get(e.getKey());
        long read = s == null ? 0 : s.read();
        boolean pending = s != null && s.pending() != null && !s.pending().isEmpty();
        if (pending || read < e.getValue()) {
          out.add(id);
          break;
        }
      }
    }
    return out;
  }

  /**
   * Sets the saved cursors of every destination under {@code stateDir} to {@code ends} (all
   * delivered), for a store whose sequences changed; call only when {@link #undelivered} was empty
   * before the change.
   */
  public static void rebaseCursors(Path stateDir, Map<Integer, Long> ends) {
    for (String id : savedCursors(stateDir)) {
      Map<Integer, PartitionState> next = new java.util.LinkedHashMap<>();
      ends.forEach((p, end) -> next.put(p, PartitionState.of(end, new java.util.TreeSet<>())));
      new CursorStore(stateDir.resolve("cursors"), id).save(next);
    }
  }

  private static List<String> savedCursors(Path stateDir) {
    Path dir = stateDir.resolve("cursors");
    if (!java.nio.file.Files.isDirectory(dir)) {
      return List.of();
    }
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".json"))
          .map(n -> n.substring(0, n.length() - ".json".length()))
          .sorted()
          .toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot list cursors in " + dir, e);
    }
  }
}
