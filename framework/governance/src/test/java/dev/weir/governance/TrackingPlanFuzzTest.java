package dev.weir.governance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.fuzz.Fuzz;
import dev.weir.sdk.Event;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the tracking-plan loader with mutated copies of the example plans: a file either loads or
 * is refused with a {@link PlanLoadException} naming the file and a JSON path; nothing else
 * escapes, nothing hangs, and a plan that loads evaluates the example events (and an event with
 * every planned property wrong) without throwing. Inputs that broke it are kept under {@code
 * src/test/resources/fuzz-regressions/tracking-plan/} and replayed. See {@link Fuzz} for {@code
 * -Dweir.fuzz.seed} and {@code -Dweir.fuzz.iterations} (default 400).
 */
class TrackingPlanFuzzTest {
  static final Path EXAMPLES =
      Path.of("../../portal-config-examples/tracking-plans").toAbsolutePath().normalize();
  static final String TARGET = "tracking-plan";

  @TempDir Path dir;

  @Test
  void noMutatedPlanBreaksTheLoaderOrTheEnforcer() throws IOException {
    List<String> seeds = seeds();
    List<Event> events = events();
    Fuzz fuzz = new Fuzz(Fuzz.SEED ^ TARGET.hashCode());
    Map<String, Integer> outcomes =
        Fuzz.run(TARGET, Fuzz.iterations(400), i -> fuzz.yaml(seeds), in -> check(in, events));
    assertThat(outcomes).as("mutations reach past the reader").containsKeys("loaded", "refused");
  }

  @TestFactory
  List<DynamicTest> keptRegressionInputsNoLongerBreakTheLoader() throws IOException {
    List<Event> events = events();
    return Fuzz.replay(TARGET, in -> check(in, events));
  }

  private String check(byte[] input, List<Event> events) throws Exception {
    Path file = dir.resolve("plan.yaml");
    Files.write(file, input);
    TrackingPlans plans;
    try {
      plans = TrackingPlans.loadStrict(file);
    } catch (PlanLoadException refused) {
      assertThat(refused.file()).isEqualTo(file.toAbsolutePath().normalize());
      assertThat(refused.jsonPath()).startsWith("$");
      assertThat(refused.reason()).isNotBlank();
      return "refused";
    }
    try {
      for (String loaded : plans.lastReload().loaded()) {
        String id = loaded.substring(0, loaded.lastIndexOf('@'));
        Enforcer e =
            plans.enforcer(
                "web", Policy.lenient(id), new SimpleMeterRegistry(), new ViolationLog(100));
        for (Event ev : events) {
          assertThat(e.evaluate(ev)).isNotNull();
        }
      }
    } finally {
      plans.close();
    }
    return "loaded";
  }

  static List<String> seeds() throws IOException {
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(EXAMPLES, "*.yaml")) {
      for (Path f : files) {
        out.add(Files.readString(f));
      }
    }
    assertThat(out).as("example plans").isNotEmpty();
    return out;
  }

  /** The example events, and some with every common property of the wrong type. */
  static List<Event> events() throws IOException {
    List<Event> out = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(EXAMPLES, "*.ndjson")) {
      for (Path f : files) {
        for (String line : Files.readAllLines(f)) {
          if (!line.isBlank()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m =
                new com.fasterxml.jackson.databind.ObjectMapper().readValue(line, Map.class);
            out.add(Event.fromMap(m));
          }
        }
      }
    }
    out.add(
        Event.builder()
            .eventType("Product Viewed")
            .userId("u")
            .eventProperties(
                Map.of(
                    "product_id", List.of(1, 2),
                    "price", "free",
                    "quantity", Double.MAX_VALUE,
                    "screen", "x".repeat(10_000),
                    "experiment_ids", Map.of("a", 1)))
            .userProperties(Map.of("email", 42, "plan", List.of(), "lifetime_orders", -1.5))
            .build());
    out.add(Event.builder().eventType("$identify").userId("u").build());
    // a value a backtracking pattern ("^(a+)+$") takes exponential time to refuse
    out.add(
        Event.builder()
            .eventType("Product Viewed")
            .userId("u")
            .eventProperties(
                Map.of("product_id", "a".repeat(40) + "!", "screen", "a".repeat(40) + "!"))
            .build());
    return out;
  }
}
