package dev.weir.admin.bench;

import dev.weir.admin.EventTap;
import dev.weir.sdk.Event;
import dev.weir.sdk.Violation;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the host pays per event for the live debugger: {@link EventTap#ingested} with nobody
 * watching, with a debugger watching another source, and with one watching this source; baseline:
 * {@link Event#toMap()} alone. Run: see docs/benchmarks.md (admin event tap).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EventTapBenchmark {
  Event event;
  EventTap idle;
  EventTap otherSource;
  EventTap watched;
  final LongAdder seen = new LongAdder();
  AutoCloseable sub1;
  AutoCloseable sub2;

  @Setup(Level.Trial)
  public void setup() {
    event =
        Event.builder()
            .eventType("Product Viewed")
            .userId("u-1001")
            .insertId("e-0001")
            .time(1763784000000L)
            .sourceId("web")
            .uploadTime(1763784000100L)
            .eventProperties(Map.of("product_id", "SKU-123", "price", 19.99, "category", "shoes"))
            .violations(
                List.of(new Violation("value-invalid", "event_properties.price", "must be >= 0")))
            .build();
    idle = new EventTap();
    otherSource = new EventTap();
    sub1 = otherSource.subscribe("mobile", r -> seen.increment());
    watched = new EventTap();
    sub2 = watched.subscribe("web", r -> seen.increment());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    sub1.close();
    sub2.close();
  }

  @Benchmark
  public Map<String, Object> baselineEventToMap() {
    return event.toMap();
  }

  @Benchmark
  public void tapNobodyWatching() {
    idle.ingested("web", "req-1", event, false);
  }

  @Benchmark
  public void tapOtherSourceWatched() {
    otherSource.ingested("web", "req-1", event, false);
  }

  @Benchmark
  public void tapThisSourceWatched() {
    watched.ingested("web", "req-1", event, false);
  }
}
