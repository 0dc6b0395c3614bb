package dev.weir.governance;

import static dev.weir.governance.Fixtures.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot reload of plan files while events flow: every event (and every batch) is validated against
 * one whole plan version, and a plan file that breaks keeps the previous version in force.
 */
class HotReloadIT {
  static final int STRING = 0;
  static final int INTEGER = 1;

  @TempDir Path dir;

  /** Two events whose two properties are all strings (variant 0) or all integers (variant 1). */
  static String plan(int variant) {
    String type = variant == STRING ? "string" : "integer";
    return """
        id: flip
        version: 1
        description: variant %d
        events:
          Alpha:
            event_properties:
              type: object
              properties: { p1: { type: %s }, p2: { type: %s } }
          Beta:
            event_properties:
              type: object
              properties: { p1: { type: %s }, p2: { type: %s } }
        """
        .formatted(variant, type, type, type, type);
  }

  static final String BROKEN =
      "id: flip\nversion: 1\nevents:\n  Alpha:\n    event_properties: { type: strin }\n";

  /**
   * Which variant a decision on string-valued Alpha/Beta events shows: 0, 1, or -1 for a mixture.
   */
  static int variantOf(List<Decision> decisions) {
    int seen = -2;
    for (Decision d : decisions) {
      int violations = d.violations().size();
      int v = violations == 0 ? STRING : violations == 2 ? INTEGER : -1;
      if (v == -1 || (seen != -2 && seen != v)) {
        return -1;
      }
      seen = v;
    }
    return seen;
  }

  @Test
  void eventsFlowingFromSeveralThreadsNeverSeeAHalfLoadedPlanAndABrokenFileKeepsTheOldOne()
      throws Exception {
    Path file = Files.writeString(dir.resolve("flip.yaml"), plan(STRING));
    try (TrackingPlans plans = TrackingPlans.open(dir)) {
      plans.watch();
      Enforcer enforcer =
          plans.enforcer(
              "app", Map.of("id", "flip"), new SimpleMeterRegistry(), new ViolationLog(16));
      Map<String, Object> strings = Map.of("p1", "a", "p2", "b");
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger lastSeen = new AtomicInteger(STRING);
      AtomicLong checked = new AtomicLong();
      ConcurrentLinkedQueue<String> inconsistencies = new ConcurrentLinkedQueue<>();
      ExecutorService pool = Executors.newFixedThreadPool(3);
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        workers.add(
            pool.submit(
                () -> {
                  while (running.get()) {
                    List<Decision> single = List.of(enforcer.evaluate(event("Alpha", strings)));
                    List<Decision> batch =
                        enforcer.evaluateAll(
                            List.of(
                                event("Alpha", strings),
                                event("Beta", strings),
                                event("Alpha", strings)));
                    for (List<Decision> ds : List.of(single, batch)) {
                      int v = variantOf(ds);
                      if (v < 0) {
                        inconsistencies.add(ds.toString());
                      } else {
                        lastSeen.set(v);
                      }
                    }
                    checked.incrementAndGet();
                  }
                }));
      }

      int current = STRING;
      for (int round = 0; round < 12; round++) {
        int next = 1 - current;
        // Files.writeString truncates then writes: the watcher may catch a half-written file, which
        // must fail to
        // load without replacing the version in force.
        Files.writeString(file, plan(next));
        if (round % 3 == 2) {
          plans.reload();
        }
        int expected = next;
        await().atMost(Duration.ofSeconds(20)).until(() -> lastSeen.get() == expected);
        current = next;

        if (round % 4 == 1) {
          long before = checked.get();
          Files.writeString(file, BROKEN);
          ReloadReport report = plans.reload();
          assertThat(report.ok()).isFalse();
          assertThat(report.failures().get(0).jsonPath())
              .startsWith("$.events.Alpha.event_properties");
          await().atMost(Duration.ofSeconds(20)).until(() -> checked.get() > before + 50);
          assertThat(lastSeen.get()).as("the previous version stays in force").isEqualTo(current);
        }
      }
      running.set(false);
      for (Future<?> w : workers) {
        w.get(30, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertThat(inconsistencies).as("decisions that mixed two plan versions").isEmpty();
      assertThat(checked.get()).isGreaterThan(100);
    }
  }

  @Test
  void aNewPlanFileIsPickedUpByTheWatcherAndABrokenEditIsReportedWithoutUnloadingIt()
      throws Exception {
    Files.writeString(dir.resolve("flip-v1.yaml"), plan(STRING));
    try (TrackingPlans plans = TrackingPlans.open(dir)) {
      plans.watch();
      Enforcer enforcer =
          plans.enforcer(
              "app", Map.of("id", "flip"), new SimpleMeterRegistry(), new ViolationLog(16));
      Path v2 = dir.resolve("flip-v2.yaml");
      Files.writeString(v2, plan(INTEGER).replace("version: 1", "version: 2"));
      await().atMost(Duration.ofSeconds(20)).until(() -> plans.versions("flip").contains(2));
      assertThat(enforcer.evaluate(event("Alpha", Map.of("p1", 1))).planVersion()).isEqualTo(2);

      Files.writeString(v2, BROKEN.replace("version: 1", "version: 2"));
      await().atMost(Duration.ofSeconds(20)).until(() -> !plans.lastReload().ok());
      assertThat(plans.lastReload().failures().get(0).file()).isEqualTo(v2.toAbsolutePath());
      assertThat(plans.versions("flip")).containsExactly(1, 2);
      assertThat(enforcer.evaluate(event("Alpha", Map.of("p1", 1))).outcome())
          .isEqualTo(Decision.Outcome.PASS);
    }
  }

  @Test
  void aConfigMapStyleSymlinkSwapIsPickedUpByTheWatcher() throws Exception {
    // Kubernetes mounts a ConfigMap as plan.yaml -> ..data/plan.yaml, ..data -> ..<timestamp>/, and
    // updates it by
    // writing a new ..<timestamp> directory and renaming a new ..data link over the old one.
    Path first = Files.createDirectory(dir.resolve("..2026_11_21_10_00_00.1"));
    Files.writeString(first.resolve("flip.yaml"), plan(STRING));
    Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
    Files.createSymbolicLink(dir.resolve("flip.yaml"), Path.of("..data/flip.yaml"));
    try (TrackingPlans plans = TrackingPlans.open(dir)) {
      plans.watch();
      Enforcer enforcer =
          plans.enforcer(
              "app", Map.of("id", "flip"), new SimpleMeterRegistry(), new ViolationLog(16));
      assertThat(enforcer.evaluate(event("Alpha", Map.of("p1", "a"))).violations()).isEmpty();

      Path second = Files.createDirectory(dir.resolve("..2026_11_21_11_00_00.2"));
      Files.writeString(second.resolve("flip.yaml"), plan(INTEGER));
      Path tmp = Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
      Files.move(
          tmp,
          dir.resolve("..data"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> enforcer.evaluate(event("Alpha", Map.of("p1", "a"))).violations().size() == 1);
    }
  }
}
