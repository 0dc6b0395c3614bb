package dev.weir.realtime;

import static dev.weir.realtime.TestEvents.MIN;
import static dev.weir.realtime.TestEvents.T0;
import static dev.weir.realtime.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.realtime.AppendResult.Status;
import dev.weir.sdk.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Simulated power loss: a workload of appends (with re-sent duplicates, block evictions, chunk
 * merges and key files) runs on {@link PowerLossFileSystem}; at over a thousand random operations
 * the durable state (fsynced contents, fsynced directory entries, nothing else) is copied out, then
 * each copy is recovered: every event acknowledged before the cut is there exactly once, nothing is
 * there twice, and re-sending the acknowledged events stores none of them again.
 */
class PowerLossIT {
  static final int CUTS = 1_100;
  @TempDir Path tmp;

  private static StoreOptions.Builder options(Path dir, StoreFileSystem fs) {
    return StoreOptions.builder(dir)
        .partitions(2)
        .blocksPerChunk(2)
        .fsyncPolicy(StoreOptions.FsyncPolicy.ALWAYS)
        .cleanupInterval(Duration.ZERO)
        .fileSystem(fs);
  }

  /** The workload; returns the insert ids acknowledged as stored, in order. */
  private static final Map<String, String> userOf = new java.util.concurrent.ConcurrentHashMap<>();

  private static void workload(RealtimeStore s, List<String> acked, long seed) throws IOException {
    Random rnd = new Random(seed);
    int next = 0;
    for (int i = 0; i < 120; i++) {
      long t = T0 + i * MIN;
      List<Event> batch = new ArrayList<>();
      for (int j = 0; j < 4; j++) {
        String id;
        if (!acked.isEmpty() && rnd.nextInt(5) == 0) {
          id = acked.get(rnd.nextInt(acked.size())); // a client retry
        } else {
          id = "e" + next++;
        }
        String drawn = "u" + rnd.nextInt(9);
        String user = userOf.computeIfAbsent(id, k -> drawn);
        batch.add(event(user, id, t));
      }
      List<AppendResult> r = s.append(batch);
      for (int j = 0; j < r.size(); j++) {
        if (r.get(j).status() == Status.STORED) {
          acked.add(batch.get(j).insertId());
        }
      }
    }
  }

  @Test
  void everyAcknowledgedEventSurvivesAPowerLossAtAnyOfAThousandPointsExactlyOnce()
      throws Exception {
    // a dry run counts the operations, so the cut points can be drawn over the whole workload
    Path dry = tmp.resolve("dry");
    PowerLossFileSystem counting = new PowerLossFileSystem(dry, n -> {});
    try (RealtimeStore s = RealtimeStore.open(options(dry, counting).build())) {
      workload(s, new ArrayList<>(), 1);
    }
    int total = counting.ops();
    Random rnd = new Random(42);
    Set<Integer> cutAt = new HashSet<>();
    while (cutAt.size() < Math.min(CUTS, total)) {
      cutAt.add(rnd.nextInt(total));
    }

    Path live = tmp.resolve("live");
    List<String> acked = new CopyOnWriteArrayList<>();
    Map<Integer, Integer> ackedAtCut = new TreeMap<>();
    PowerLossFileSystem[] fs = new PowerLossFileSystem[1];
    fs[0] =
        new PowerLossFileSystem(
            live,
            n -> {
              if (cutAt.contains(n)) {
                try {
                  fs[0].materialize(tmp.resolve("cut-" + n));
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
                ackedAtCut.put(n, acked.size());
              }
            });
    try (RealtimeStore s = RealtimeStore.open(options(live, fs[0]).build())) {
      workload(s, acked, 1);
    }
    assertThat(ackedAtCut.size()).isGreaterThanOrEqualTo(1_000);

    int checked = 0;
    for (Map.Entry<Integer, Integer> cut : ackedAtCut.entrySet()) {
      Path dir = tmp.resolve("cut-" + cut.getKey());
      List<String> mustHave = acked.subList(0, cut.getValue());
      try (RealtimeStore s = RealtimeStore.open(options(dir, StoreFileSystem.DEFAULT).build())) {
        Map<String, Integer> found = new HashMap<>();
        for (int p = 0; p < s.partitionCount(); p++) {
          for (StoredEvent e : s.read(p, 0, 100_000)) {
            found.merge(e.event().insertId(), 1, Integer::sum);
          }
        }
        for (String id : mustHave) {
          assertThat(found.get(id))
              .as("cut before op %d: acknowledged %s present once", cut.getKey(), id)
              .isEqualTo(1);
        }
        assertThat(found.values())
            .as("cut before op %d: nothing stored twice", cut.getKey())
            .allMatch(n -> n == 1);
        // re-sending what was acknowledged (same users) stores none of it again
        List<Event> resend = new ArrayList<>();
        for (String id : mustHave) {
          resend.add(event(userOf.get(id), id, T0 + 200 * MIN));
        }
        if (!resend.isEmpty()) {
          assertThat(s.append(resend))
              .as("cut before op %d: re-sent acknowledged events", cut.getKey())
              .allMatch(r -> r.status() == Status.DUPLICATE);
        }
      }
      deleteTree(dir);
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(1_000);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
