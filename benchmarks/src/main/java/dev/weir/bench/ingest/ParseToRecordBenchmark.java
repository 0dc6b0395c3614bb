package dev.weir.bench.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.host.bench.BenchBodies;
import dev.weir.ingest.AmplitudeFormat;
import dev.weir.ingest.JsonStreams;
import dev.weir.ingest.ParsedEvent;
import dev.weir.sdk.Event;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One Amplitude HTTP V2 body of 100 events (the {@code weir bench ingest} template: ids, a time,
 * four properties with an array, four device fields; about 330 bytes each) turned into store
 * records, in events per second on one thread:
 *
 * <ul>
 *   <li>{@code mapsOnly}: Jackson parsing the body into {@code Map}s and nothing else (the
 *       parse-only ceiling of issue 13);
 *   <li>{@code viaMaps}: the old path, the body into maps, each event map into an {@link Event}
 *       (properties deep-copied and frozen), then its record ({@link Event#toRecord()});
 *   <li>{@code streaming}: the new path, Jackson's streaming parser straight into each event with
 *       its properties in compact form ({@link AmplitudeFormat#parse(JsonParser, int, long,
 *       String)}, with Amplitude's checks), then its record (the properties copied as bytes);
 *   <li>{@code streamingStamped}: as {@code streaming}, with the host's stamp in between ({@link
 *       Event#withSourceAndUploadTime}, as {@code StampStep} does before the store writes).
 * </ul>
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar ParseToRecordBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class ParseToRecordBenchmark {
  static final int EVENTS = 100;
  private static final long NOW = 1_700_000_100_000L;

  private final ObjectMapper json = new ObjectMapper();
  private final byte[] body = body(EVENTS);

  /** The body of {@code n} events, as {@code weir bench ingest} sends it (its own bodies). */
  static byte[] body(int n) {
    return BenchBodies.body("bench-key", "t1-r1-", n);
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public Object mapsOnly() throws IOException {
    return json.readValue(body, Map.class);
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  @SuppressWarnings("unchecked")
  public void viaMaps(Blackhole bh) throws IOException {
    Map<String, Object> root = json.readValue(body, Map.class);
    for (Object item : (List<Object>) root.get("events")) {
      Event e = Event.fromMap((Map<String, Object>) item).toBuilder().uploadTime(NOW).build();
      bh.consume(e.toRecord());
    }
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void streaming(Blackhole bh) throws IOException {
    try (JsonParser p = json.createParser(body)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if (!field.equals("events") || t != JsonToken.START_ARRAY) {
          JsonStreams.skip(p);
          continue;
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
          ParsedEvent parsed =
              AmplitudeFormat.parse(p, AmplitudeFormat.DEFAULT_MIN_ID_LENGTH, NOW, "203.0.113.1");
          bh.consume(parsed.event().toRecord());
        }
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void streamingStamped(Blackhole bh) throws IOException {
    try (JsonParser p = json.createParser(body)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if (!field.equals("events") || t != JsonToken.START_ARRAY) {
          JsonStreams.skip(p);
          continue;
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
          ParsedEvent parsed =
              AmplitudeFormat.parse(p, AmplitudeFormat.DEFAULT_MIN_ID_LENGTH, NOW, "203.0.113.1");
          bh.consume(parsed.event().withSourceAndUploadTime("amplitude-http", NOW).toRecord());
        }
      }
    }
  }
}
