package dev.weir.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The streaming parsers (straight into compact events, no trees) answer exactly as the tree-based
 * parsers they replaced (kept as {@code Legacy*} oracles): the same events, field by field and as
 * JSON, or the same problems with the same messages, for good, mutated and random input, read from
 * a tree, from text and from UTF-8 bytes. Seeded like {@link FormatFuzzTest}.
 */
class StreamingParsersMatchTreeParsersTest {
  private static final long NOW = 1_767_268_800_000L;
  private static final long SEED = Long.getLong("weir.fuzz.seed", 20_260_101L);
  private static final int ITERATIONS = Integer.getInteger("weir.fuzz.iterations", 1500);
  private static final String IP = "203.0.113.1";

  private static final List<String> AMPLITUDE =
      List.of(
          "{\"event_type\":\"Purchase\",\"user_id\":\"user-1\",\"time\":1767268000000,\"insert_id\":\"a-1\","
              + "\"event_properties\":{\"$price\":9.5,\"$quantity\":2,\"sku\":\"x\"},\"ip\":\"$remote\"}",
          "{\"event_type\":\"$identify\",\"device_id\":\"device-1\",\"user_properties\":{\"$set\":{\"plan\":\"pro\"},"
              + "\"$add\":{\"n\":1}},\"groups\":{\"org\":[\"a\",\"b\"]},\"plan\":{\"version\":\"3\"}}",
          "{\"event_type\":\"View\",\"device_id\":\"device-2\",\"session_id\":-1,\"location_lat\":52.5,"
              + "\"price\":1.5,\"quantity\":3,\"productId\":\"p\",\"os_name\":\"iOS\",\"library\":\"amplitude-node/1\","
              + "\"version_name\":\"1.2\",\"event_id\":7,\"time\":1.767268e12,\"revenueType\":\"r\",\"currency\":\"EUR\"}",
          "{\"event_type\":\"Rev\",\"user_id\":\"user-2\",\"event_properties\":{\"$revenue\":3,\"$productId\":\"p\","
              + "\"$revenueType\":\"t\",\"$currency\":\"USD\",\"dup\":1,\"dup\":2,\"nested\":{\"a\":[1,2.5,null,true]}}}");

  private static final List<String> CANONICAL =
      List.of(
          "{\"event_type\":\"Purchase\",\"user_id\":\"u1\",\"time\":1767268000000,\"revenue\":4.5,"
              + "\"event_properties\":{\"a\":[1,{\"b\":null}]},\"plan\":{\"version\":\"2\"}}",
          "{\"event_type\":\"A\",\"device_id\":\"d\",\"upload_time\":1,\"source_id\":\"x\",\"quantity\":2}",
          "{\"event_type\":\"B\",\"user_id\":\"u2\",\"violations\":[{\"type\":\"unplanned-event\",\"field\":\"event_type\"}]}",
          "{\"event_type\":\"C\",\"device_id\":\"d3\",\"user_properties\":{\"$set\":{\"x\":1}},\"groups\":{\"g\":\"h\"},"
              + "\"group_properties\":{},\"location_lat\":1,\"session_id\":5}");

  /** One format: its legacy tree parser, and the new parser from a tree and from a stream. */
  private interface Parse {
    ParsedEvent legacy(JsonNode node);

    ParsedEvent tree(JsonNode node);

    ParsedEvent stream(JsonParser p) throws IOException;
  }

  private static final Parse AMPLITUDE_5 =
      new Parse() {
        public ParsedEvent legacy(JsonNode node) {
          return LegacyAmplitudeFormat.parse(node, 5, NOW, IP);
        }

        public ParsedEvent tree(JsonNode node) {
          return AmplitudeFormat.parse(node, 5, NOW, IP);
        }

        public ParsedEvent stream(JsonParser p) throws IOException {
          return AmplitudeFormat.parse(p, 5, NOW, IP);
        }
      };

  private static final Parse CANONICAL_PARSE =
      new Parse() {
        public ParsedEvent legacy(JsonNode node) {
          return LegacyCanonicalFormat.parse(node, NOW);
        }

        public ParsedEvent tree(JsonNode node) {
          return CanonicalFormat.parse(node, NOW);
        }

        public ParsedEvent stream(JsonParser p) throws IOException {
          return CanonicalFormat.parse(p, NOW);
        }
      };

  @Test
  void amplitudeEventsParseAsTheTreeParserParsedThem() throws Exception {
    fuzz("amplitude", AMPLITUDE, AMPLITUDE_5, false);
  }

  @Test
  void canonicalEventsParseAsTheTreeParserParsedThem() throws Exception {
    fuzz("canonical", CANONICAL, CANONICAL_PARSE, true);
  }

  @Test
  void malformedJsonFailsTheStreamingParserAsItFailsTheTreeReader() {
    String bad = "{\"event_type\":\"A\",\"user_id\":\"user-1\",\"event_properties\":{\"a\":[1,}}";
    assertThatThrownBy(() -> JsonFuzz.JSON.readTree(bad)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> stream(AMPLITUDE_5, bad)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> stream(CANONICAL_PARSE, bad)).isInstanceOf(IOException.class);
  }

  private static void fuzz(String name, List<String> goodText, Parse parse, boolean ordered)
      throws Exception {
    JsonFuzz fuzz = new JsonFuzz(SEED ^ name.hashCode() ^ 0x5eed);
    SplittableRandom pick = new SplittableRandom(SEED + 17);
    List<JsonNode> inputs = new ArrayList<>();
    for (String g : goodText) {
      inputs.add(JsonFuzz.JSON.readTree(g));
    }
    List<JsonNode> good = List.copyOf(inputs);
    inputs.addAll(JsonFuzz.regressions("/fuzz-regressions/" + name).values());
    for (int i = 0; i < ITERATIONS; i++) {
      JsonNode base = good.get(pick.nextInt(good.size()));
      inputs.add(pick.nextInt(8) == 0 ? fuzz.random(4) : fuzz.mutate(base));
    }
    int accepted = 0;
    for (JsonNode in : inputs) {
      String text = JsonFuzz.JSON.writeValueAsString(in);
      String where = name + ": " + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
      ParsedEvent expected = parse.legacy(in);
      same(where + " (tree)", expected, parse.tree(in), ordered);
      same(
          where + " (text)",
          parse.legacy(JsonFuzz.JSON.readTree(text)),
          stream(parse, text),
          ordered);
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      same(
          where + " (bytes)",
          parse.legacy(JsonFuzz.JSON.readTree(utf8)),
          stream(parse, utf8),
          ordered);
      accepted += expected.ok() ? 1 : 0;
    }
    assertThat(accepted).as("some inputs are good events").isGreaterThan(good.size());
    assertThat(inputs.size() - accepted).as("some inputs are refused").isGreaterThan(10);
  }

  private static ParsedEvent stream(Parse parse, String text) throws IOException {
    try (JsonParser p = JsonFuzz.JSON.getFactory().createParser(text)) {
      p.nextToken();
      return parse.stream(p);
    }
  }

  private static ParsedEvent stream(Parse parse, byte[] bytes) throws IOException {
    try (JsonParser p = JsonFuzz.JSON.getFactory().createParser(bytes)) {
      p.nextToken();
      return parse.stream(p);
    }
  }

  private static void same(
      String where, ParsedEvent expected, ParsedEvent actual, boolean ordered) {
    assertThat(actual.ok()).as(where + " accepted?").isEqualTo(expected.ok());
    if (expected.ok()) {
      assertThat(actual.event()).as(where).isEqualTo(expected.event());
      assertThat(actual.event().hashCode()).as(where).isEqualTo(expected.event().hashCode());
      assertThat(actual.event().toJson()).as(where).isEqualTo(expected.event().toJson());
      assertThat(actual.event().toMap()).as(where).isEqualTo(expected.event().toMap());
      return;
    }
    List<FieldProblem> want = new ArrayList<>(expected.problems());
    List<FieldProblem> got = new ArrayList<>(actual.problems());
    if (!ordered) {
      // The tree parser visited the plain string fields in a Map.of order, which varies by JVM run.
      Comparator<FieldProblem> byText = Comparator.comparing(FieldProblem::toString);
      want.sort(byText.thenComparing(FieldProblem::kind));
      got.sort(byText.thenComparing(FieldProblem::kind));
    }
    assertThat(got).as(where).isEqualTo(want);
  }

  @Test
  void aRepeatedKeyKeepsItsLastValueAsInATreeEvenWhenAnEarlierValueWasBad() throws Exception {
    List<String> bodies =
        List.of(
            "{\"event_type\":\"A\",\"user_id\":\"user-1\",\"event_properties\":{\"a\":1e400,\"a\":1}}",
            "{\"event_type\":\"A\",\"user_id\":\"user-1\",\"event_properties\":"
                + "{\"a\":1,\"b\":-1e400,\"a\":[1e400]}}",
            "{\"event_type\":\"A\",\"user_id\":\"user-1\",\"event_properties\":{\"x\":{\"a\":1e400},"
                + "\"x\":{\"a\":2,\"a\":3}},\"user_id\":\"user-2\",\"event_properties\":{\"y\":1}}",
            "{\"event_type\":\"A\",\"user_id\":\"user-1\",\"event_properties\":{\"a\":"
                + "[".repeat(45)
                + "1"
                + "]".repeat(45)
                + ",\"a\":0}}",
            "{\"event_type\":\"A\",\"revenue\":1e400,\"revenue\":2,\"violations\":[{\"type\":1e400}],"
                + "\"plan\":{\"version\":1e400,\"version\":\"1\"},\"time\":5,\"time\":null}");
    for (String body : bodies) {
      JsonNode tree = JsonFuzz.JSON.readTree(body);
      same(body, LegacyAmplitudeFormat.parse(tree, 5, NOW, IP), stream(AMPLITUDE_5, body), false);
      same(body, LegacyCanonicalFormat.parse(tree, NOW), stream(CANONICAL_PARSE, body), true);
      byte[] utf8 = body.getBytes(StandardCharsets.UTF_8);
      same(body, LegacyAmplitudeFormat.parse(tree, 5, NOW, IP), stream(AMPLITUDE_5, utf8), false);
      same(body, LegacyCanonicalFormat.parse(tree, NOW), stream(CANONICAL_PARSE, utf8), true);
    }
  }

  @Test
  void anEventsPropertiesAreKeptCompactNotAsAMapCopy() throws Exception {
    ParsedEvent p = stream(AMPLITUDE_5, AMPLITUDE.get(0));
    Map<String, Object> props = p.event().eventProperties();
    assertThat(props.getClass().getSimpleName()).isEqualTo("CompactMap");
    assertThat(props).containsEntry("sku", "x").containsEntry("$quantity", 2L);
  }
}
