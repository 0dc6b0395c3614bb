package dev.weir.bench.governance;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.governance.Decision;
import dev.weir.governance.Enforcer;
import dev.weir.governance.TrackingPlans;
import dev.weir.governance.ViolationLog;
import dev.weir.sdk.Event;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Tracking-plan validation throughput, in events per second on one thread (one core): a plan of 50
 * events with 20 typed, constrained properties each. Baseline, same run: the same JSON events
 * parsed into {@link Event}s without validation ({@code parseOnly}); {@code parseAndValidate} adds
 * {@link Enforcer#evaluate}.
 *
 * <p>{@code violatingPercent} of the events break the plan (a wrong type, an enum miss and an
 * unplanned property) and are flagged, which also records them in the violation log and counters.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class ValidationBenchmark {
  static final int EVENTS = 50;
  static final int PROPERTIES = 20;
  static final int POOL = 4096;

  @Param({"0", "10"})
  int violatingPercent;

  private final ObjectMapper json = new ObjectMapper();
  private Path dir;
  private TrackingPlans plans;
  private Enforcer enforcer;
  private byte[][] payloads;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("weir-plan-bench");
    Files.writeString(dir.resolve("bench.yaml"), plan());
    plans = TrackingPlans.open(dir);
    if (!plans.lastReload().ok()) {
      throw new IllegalStateException(plans.lastReload().failures().toString());
    }
    enforcer =
        plans.enforcer(
            "bench",
            Map.of("id", "bench", "version", 1),
            new SimpleMeterRegistry(),
            new ViolationLog(1000));
    Random random = new Random(42);
    payloads = new byte[POOL][];
    for (int i = 0; i < POOL; i++) {
      payloads[i] = json.writeValueAsBytes(event(random, random.nextInt(100) < violatingPercent));
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    plans.close();
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  @Benchmark
  public Event parseOnly() throws IOException {
    return parse(payloads[next++ & (POOL - 1)]);
  }

  @Benchmark
  public Decision parseAndValidate() throws IOException {
    return enforcer.evaluate(parse(payloads[next++ & (POOL - 1)]));
  }

  @SuppressWarnings("unchecked")
  private Event parse(byte[] payload) throws IOException {
    return Event.fromMap(json.readValue(payload, Map.class));
  }

  /**
   * Property {@code j} of every event: string with pattern, integer range, number, boolean, enum,
   * array.
   */
  static String propertySchema(int j) {
    return switch (j % 6) {
      case 0 -> "{ type: string, minLength: 1, maxLength: 64, pattern: \"^[a-z0-9_-]+$\" }";
      case 1 -> "{ type: integer, minimum: 0, maximum: 100000 }";
      case 2 -> "{ type: number, minimum: 0 }";
      case 3 -> "{ type: boolean }";
      case 4 -> "{ type: string, enum: [alpha, beta, gamma, delta] }";
      default -> "{ type: array, items: { type: string }, maxItems: 10 }";
    };
  }

  static String plan() {
    StringBuilder sb = new StringBuilder("id: bench\nversion: 1\nevents:\n");
    for (int e = 0; e < EVENTS; e++) {
      sb.append("  Event ")
          .append(e)
          .append(":\n    event_properties:\n      type: object\n      properties:\n");
      for (int j = 0; j < PROPERTIES; j++) {
        sb.append("        p").append(j).append(": ").append(propertySchema(j)).append('\n');
      }
      sb.append("      required: [p0, p1, p2]\n");
    }
    return sb.toString();
  }

  static Object value(Random r, int j) {
    return switch (j % 6) {
      case 0 -> "id_" + r.nextInt(1000);
      case 1 -> r.nextInt(100000);
      case 2 -> r.nextDouble() * 100;
      case 3 -> r.nextBoolean();
      case 4 -> List.of("alpha", "beta", "gamma", "delta").get(r.nextInt(4));
      default -> List.of("x", "y");
    };
  }

  static Map<String, Object> event(Random r, boolean violating) {
    Map<String, Object> props = new LinkedHashMap<>();
    for (int j = 0; j < PROPERTIES; j++) {
      props.put("p" + j, value(r, j));
    }
    if (violating) {
      props.put("p1", "not a number");
      props.put("p4", "omega");
      props.put("debug", true);
    }
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("event_type", "Event " + r.nextInt(EVENTS));
    event.put("user_id", "user-" + r.nextInt(10000));
    event.put("time", 1763784000000L + r.nextInt(1_000_000));
    event.put("insert_id", "ins-" + r.nextLong());
    event.put("event_properties", props);
    return event;
  }
}
