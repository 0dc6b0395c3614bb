package dev.weir.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the store in a child JVM with concurrent appenders, SIGKILLs it at random points (by
 * acknowledged count) a dozen times, and checks that every acknowledged event is stored exactly
 * once and re-sending adds nothing.
 */
class CrashRecoveryIT {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedEventSurvivesRepeatedSigkillExactlyOnce() throws Exception {
    Set<String> acked = killRepeatedly(12, "window");
    try (RealtimeStore s = RealtimeStore.open(CrashChild.options(dir))) {
      long storedBefore = assertExactlyOnce(s, acked);
      List<dev.weir.sdk.Event> resend = new ArrayList<>();
      for (String id : acked) {
        resend.add(CrashChild.eventFor(id, TestEvents.T0 + 60_000));
      }
      List<AppendResult> results = s.append(resend);
      assertThat(results)
          .extracting(AppendResult::status)
          .containsOnly(AppendResult.Status.DUPLICATE);
      long after = 0;
      for (int p = 0; p < s.partitionCount(); p++) {
        after += s.read(p, 0, 10_000_000).size();
      }
      assertThat(after).isEqualTo(storedBefore);
    }
  }

  @Test
  void killsDuringEvictionAndChunkMergesLoseNoAcknowledgedEventAndDuplicateNone() throws Exception {
    Set<String> acked = killRepeatedly(8, "rolling");
    try (RealtimeStore s = RealtimeStore.open(CrashChild.rollingOptions(dir))) {
      assertThat(s.chunks()).isNotEmpty();
      assertExactlyOnce(s, acked);
    }
  }

  private static long assertExactlyOnce(RealtimeStore s, Set<String> acked) throws Exception {
    Map<String, Integer> counts = new HashMap<>();
    for (int p = 0; p < s.partitionCount(); p++) {
      long prev = -1;
      for (StoredEvent e : s.read(p, 0, 10_000_000)) {
        assertThat(e.sequence()).isGreaterThan(prev);
        prev = e.sequence();
        counts.merge(e.event().insertId(), 1, Integer::sum);
      }
    }
    for (String id : acked) {
      assertThat(counts.get(id)).as("copies of acknowledged " + id).isEqualTo(1);
    }
    assertThat(counts.values()).allMatch(c -> c == 1);
    return counts.size();
  }

  private Set<String> killRepeatedly(int rounds, String mode) throws Exception {
    Set<String> acked = ConcurrentHashMap.newKeySet();
    Random rnd = new Random(7);
    for (int round = 0; round < rounds; round++) {
      ProcessBuilder pb =
          new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-Xmx256m",
              "-XX:TieredStopAtLevel=1",
              "-cp",
              System.getProperty("java.class.path"),
              CrashChild.class.getName(),
              dir.toString(),
              Integer.toString(round),
              "4",
              mode);
      pb.redirectErrorStream(true);
      Process child = pb.start();
      AtomicReference<String> error = new AtomicReference<>();
      int[] roundAcks = {0};
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = in.readLine()) != null) {
                    if (line.startsWith("ACK ")) {
                      acked.add(line.substring(4));
                      synchronized (roundAcks) {
                        roundAcks[0]++;
                      }
                    } else if (line.startsWith("ERROR") || line.startsWith("Exception")) {
                      error.compareAndSet(null, line);
                    }
                  }
                } catch (Exception e) {
                  // the pipe closes when the child dies
                }
              });
      reader.start();
      int killAt = 20 + rnd.nextInt(600);
      Awaitility.await()
          .atMost(60, TimeUnit.SECONDS)
          .until(
              () -> {
                synchronized (roundAcks) {
                  return roundAcks[0] >= killAt || error.get() != null || !child.isAlive();
                }
              });
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      reader.join(10_000);
      assertThat(error.get()).as("child error in round " + round).isNull();
    }
    assertThat(acked).hasSizeGreaterThan(rounds * 20);
    return acked;
  }
}
