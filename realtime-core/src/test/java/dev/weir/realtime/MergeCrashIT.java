package dev.weir.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.realtime.SegmentationQuery.Bucket;
import dev.weir.realtime.SegmentationQuery.Metric;
import dev.weir.sdk.Event;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILLs a child JVM in the middle of a chunk merge (while the merged file is written, right
 * after it is renamed into place, and after the first old chunk is deleted), then reopens: every
 * event is counted exactly once, by the log and by queries, and the batch layer still sees the same
 * chunk ids.
 */
class MergeCrashIT {
  static final int EVENTS = 2_000;

  @TempDir Path tmp;

  private Path prepared() throws Exception {
    Path dir = tmp.resolve("prepared");
    try (RealtimeStore s =
        RealtimeStore.open(MergeCrashChild.options(dir, 0, StoreFileSystem.DEFAULT))) {
      for (int b = 0; b < 20; b++) {
        List<Event> batch = new ArrayList<>();
        for (int i = 0; i < EVENTS / 20; i++) {
          int n = b * (EVENTS / 20) + i;
          batch.add(TestEvents.event("u" + (n % 37), "e" + n, TestEvents.T0 + n * 1_000L));
        }
        s.append(batch);
      }
      assertThat(s.stats().chunks()).isGreaterThanOrEqualTo(2 * Chunker.FAN_IN);
    }
    return dir;
  }

  private static void copy(Path from, Path to) throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path t = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(t);
        } else if (!f.getFileName().toString().equals("LOCK")) {
          Files.copy(f, t);
        }
      }
    }
  }

  private static void killAt(Path dir, String phase) throws Exception {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                MergeCrashChild.class.getName(),
                dir.toString(),
                phase)
            .redirectErrorStream(true)
            .start();
    AtomicReference<String> reached = new AtomicReference<>();
    List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  output.add(line);
                  if (line.startsWith("PHASE ")) {
                    reached.set(line.substring(6));
                  }
                }
              } catch (Exception e) {
                // the pipe closes when the child dies
              }
            });
    reader.start();
    Awaitility.await()
        .atMost(60, TimeUnit.SECONDS)
        .until(() -> reached.get() != null || !child.isAlive());
    child.destroyForcibly();
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    reader.join(10_000);
    assertThat(reached.get()).as("child output %s", output).isEqualTo(phase);
  }

  private static void assertCountedOnce(RealtimeStore s, Set<String> chunkIds) throws Exception {
    Map<String, Integer> copies = new HashMap<>();
    for (int p = 0; p < s.partitionCount(); p++) {
      for (StoredEvent e : s.read(p, 0, 1_000_000)) {
        copies.merge(e.event().insertId(), 1, Integer::sum);
      }
    }
    assertThat(copies).hasSize(EVENTS);
    assertThat(copies.values()).containsOnly(1);
    SegmentationResult all =
        s.segmentation(
            new SegmentationQuery(
                null,
                List.of(),
                TestEvents.T0 - 86_400_000L,
                TestEvents.T0 + 86_400_000L,
                Bucket.DAY,
                Metric.COUNT,
                null));
    assertThat(all.totals().get("")).isEqualTo((double) EVENTS);
    List<ChunkInfo> chunks = s.chunks();
    assertThat(new TreeSet<>(chunks.stream().map(ChunkInfo::id).toList())).isEqualTo(chunkIds);
    assertThat(chunks).hasSize(chunkIds.size());
  }

  @Test
  void aMergeKilledAtAnyPointCountsEitherTheOldChunksOrTheMergedOneNeverBothNeverNeither()
      throws Exception {
    Path prepared = prepared();
    Set<String> ids;
    try (RealtimeStore s =
        RealtimeStore.open(MergeCrashChild.options(prepared, 0, StoreFileSystem.DEFAULT))) {
      ids = new TreeSet<>(s.chunks().stream().map(ChunkInfo::id).toList());
      assertCountedOnce(s, ids);
    }
    Map<String, String> expectedRepair =
        Map.of(
            "write", "removed unfinished chunk",
            "renamed", "already merged into chunk",
            "deleting", "already merged into chunk");
    for (String phase : List.of("write", "renamed", "deleting")) {
      Path dir = tmp.resolve(phase);
      copy(prepared, dir);
      killAt(dir, phase);
      try (RealtimeStore s =
          RealtimeStore.open(MergeCrashChild.options(dir, 0, StoreFileSystem.DEFAULT))) {
        assertThat(s.recoveryReport().problems())
            .as("recovery after a kill at %s", phase)
            .anyMatch(m -> m.contains(expectedRepair.get(phase)));
        assertCountedOnce(s, ids);
      }
      // and the merge completes from the recovered state
      try (RealtimeStore s =
          RealtimeStore.open(MergeCrashChild.options(dir, 1_000_000, StoreFileSystem.DEFAULT))) {
        s.mergeChunksNow();
        assertThat(s.stats().chunks()).isLessThan(ids.size());
        assertCountedOnce(s, ids);
      }
    }
  }
}
