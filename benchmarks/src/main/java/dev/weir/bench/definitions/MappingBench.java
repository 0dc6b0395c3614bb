package dev.weir.bench.definitions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.definitions.Definition;
import dev.weir.definitions.Definitions;
import dev.weir.sdk.Event;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost per event of a partner definition's JSONata mapping (the ads-conversions example: routing,
 * SHA-256 of normalised email and phone, nested objects, JSON bytes) against hand-written Java
 * producing the same body. Run: {@code java -jar benchmarks/target/benchmarks.jar
 * definitions.MappingBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MappingBench {
  static final ObjectMapper JSON = new ObjectMapper();
  Definition def;
  Map<String, Object> settings;
  List<Event> batch100;
  List<Event> single;

  @Setup
  public void setup() throws Exception {
    def = Definitions.parse("bench.yaml", AdsMapping.definition("ads-bench", "1.0.0"));
    settings = Map.of("pixel_id", "1234567890", "access_token", "t-secret");
    batch100 = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      batch100.add(
          Event.builder()
              .eventType(i % 3 == 0 ? "Sign Up" : "Order Completed")
              .userId("user-" + i)
              .insertId("ins-" + i)
              .time(1_700_000_000_000L + i)
              .ip("203.0.113." + (i % 250))
              .revenue(10.0 + i)
              .currency("EUR")
              .userAgent("Mozilla/5.0")
              .userProperties(
                  Map.of(
                      "email",
                      "  User" + i + "@Example.COM ",
                      "phone",
                      "+1 (555) 010-" + (1000 + i)))
              .build());
    }
    single = List.of(batch100.get(1));
    for (int i = 0; i < 50; i++) {
      Definitions.renderBodies(def, settings, batch100, 0); // warm up before comparing
    }
    List<byte[]> bodies = Definitions.renderBodies(def, settings, batch100, 0);
    if (bodies.size() != 1
        || !JSON.readTree(bodies.get(0)).equals(JSON.readTree(handWritten(batch100)))) {
      throw new IllegalStateException(
          "the hand-written baseline does not produce the mapping's body ("
              + bodies.size()
              + " bodies)");
    }
  }

  @Benchmark
  @OperationsPerInvocation(100)
  public List<byte[]> jsonataBatchOf100() {
    return Definitions.renderBodies(def, settings, batch100, 0);
  }

  @Benchmark
  public List<byte[]> jsonataSingleEvent() {
    return Definitions.renderBodies(def, settings, single, 0);
  }

  @Benchmark
  @OperationsPerInvocation(100)
  public byte[] handWrittenBatchOf100() throws Exception {
    return handWritten(batch100);
  }

  @Benchmark
  public byte[] handWrittenSingleEvent() throws Exception {
    return handWritten(single);
  }

  static byte[] handWritten(List<Event> events) throws Exception {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode data = root.putArray("data");
    for (Event e : events) {
      String type = e.eventType();
      if (!type.equals("Order Completed")
          && !type.equals("Sign Up")
          && !type.equals("Add To Cart")) {
        continue;
      }
      ObjectNode o = data.addObject();
      o.put(
          "event_name",
          type.equals("Order Completed")
              ? "Purchase"
              : type.equals("Sign Up") ? "CompleteRegistration" : "AddToCart");
      o.put("event_time", Math.floorDiv(e.time(), 1000));
      o.put("event_id", e.insertId());
      o.put("action_source", "website");
      ObjectNode u = o.putObject("user_data");
      Object email = e.userProperties().get("email");
      if (email != null) {
        u.putArray("em").add(sha256(email.toString().strip().toLowerCase(Locale.ROOT)));
      }
      Object phone = e.userProperties().get("phone");
      if (phone != null) {
        u.putArray("ph").add(sha256(phone.toString().replaceAll("[^0-9]", "")));
      }
      if (e.userId() != null) {
        u.putArray("external_id").add(sha256(e.userId()));
      }
      if (e.ip() != null) {
        u.put("client_ip_address", e.ip());
      }
      if (e.userAgent() != null) {
        u.put("client_user_agent", e.userAgent());
      }
      if (e.revenue() != null) {
        ObjectNode c = o.putObject("custom_data");
        c.put("currency", e.currency() != null ? e.currency() : "USD");
        c.put("value", e.revenue());
      }
    }
    return JSON.writeValueAsBytes(root);
  }

  static String sha256(String s) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }
}
