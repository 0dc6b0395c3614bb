package dev.weir.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.sdk.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Throws random and mutated JSON at each format's parser, inside batches of good events: no
 * exception escapes, every good event of a batch is kept exactly as it parses alone, every refused
 * one names a field, and every accepted event survives the canonical round trip (what Weir stores,
 * it can read back). Seeded: {@code -Dweir.fuzz.seed=N} replays a run, {@code
 * -Dweir.fuzz.iterations=N} runs longer (default 1500 batches per format in {@code mvn verify}). A
 * failing input is written to {@code target/fuzz-failures/}; keep it under {@code
 * src/test/resources/fuzz-regressions/<format>/}, where every file is replayed on each run.
 */
class FormatFuzzTest {
  private static final long NOW = 1_767_268_800_000L; // 2026-01-01T12:00:00Z
  private static final long SEED = Long.getLong("weir.fuzz.seed", 20_260_101L);
  private static final int ITERATIONS = Integer.getInteger("weir.fuzz.iterations", 1500);

  /** One format under test: its good events and how it parses one item. */
  private record Format(String name, List<String> good, Function<JsonNode, ParsedEvent> parse) {}

  private static final Format AMPLITUDE =
      new Format(
          "amplitude",
          List.of(
              "{\"event_type\":\"Purchase\",\"user_id\":\"user-1\",\"time\":1767268000000,\"insert_id\":\"a-1\","
                  + "\"event_properties\":{\"$price\":9.5,\"$quantity\":2,\"sku\":\"x\"},\"ip\":\"$remote\"}",
              "{\"event_type\":\"$identify\",\"device_id\":\"device-1\",\"user_properties\":{\"$set\":{\"plan\":\"pro\"},"
                  + "\"$add\":{\"n\":1}},\"groups\":{\"org\":[\"a\",\"b\"]},\"plan\":{\"version\":\"3\"}}",
              "{\"event_type\":\"View\",\"device_id\":\"device-2\",\"session_id\":-1,\"location_lat\":52.5,"
                  + "\"price\":1.5,\"quantity\":3,\"productId\":\"p\",\"os_name\":\"iOS\",\"library\":\"amplitude-node/1\"}"),
          node -> AmplitudeFormat.parse(node, 5, NOW, "203.0.113.1"));

  private static final Format SEGMENT =
      new Format(
          "segment",
          List.of(
              "{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"u1\",\"messageId\":\"m-1\","
                  + "\"timestamp\":\"2026-01-01T12:59:00.000Z\",\"sentAt\":\"2026-01-01T13:00:00.000Z\","
                  + "\"properties\":{\"revenue\":10,\"currency\":\"EUR\"},\"context\":{\"ip\":\"1.2.3.4\","
                  + "\"library\":{\"name\":\"analytics-node\",\"version\":\"2\"},\"campaign\":{\"name\":\"c\"}}}",
              "{\"type\":\"identify\",\"anonymousId\":\"a1\",\"context\":{\"traits\":{\"email\":\"e@example.com\"}},"
                  + "\"integrations\":{\"All\":true}}",
              "{\"type\":\"page\",\"userId\":42,\"name\":\"Home\",\"category\":\"Docs\",\"originalTimestamp\":\"2026-01-01T11:00:00+01:00\"}",
              "{\"type\":\"group\",\"userId\":\"u1\",\"groupId\":\"acme\",\"traits\":{\"seats\":3}}",
              "{\"type\":\"alias\",\"userId\":\"u2\",\"previousId\":\"u1\",\"channel\":\"server\"}"),
          node -> SegmentFormat.parse(node, null, NOW));

  private static final Format CANONICAL =
      new Format(
          "canonical",
          List.of(
              "{\"event_type\":\"Purchase\",\"user_id\":\"u1\",\"time\":1767268000000,\"revenue\":4.5,"
                  + "\"event_properties\":{\"a\":[1,{\"b\":null}]},\"plan\":{\"version\":\"2\"}}",
              "{\"event_type\":\"A\",\"device_id\":\"d\",\"upload_time\":1,\"source_id\":\"x\",\"quantity\":2}",
              "{\"event_type\":\"B\",\"user_id\":\"u2\",\"violations\":[{\"type\":\"unplanned-event\",\"field\":\"event_type\"}]}"),
          node -> CanonicalFormat.parse(node, NOW));

  @TestFactory
  List<DynamicTest> noInputMakesAParserThrowAndEveryGoodEventOfABatchIsKept() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Format f : List.of(AMPLITUDE, SEGMENT, CANONICAL)) {
      tests.add(DynamicTest.dynamicTest(f.name() + " (seed " + SEED + ")", () -> fuzz(f)));
    }
    tests.add(DynamicTest.dynamicTest("segment batch envelope", this::fuzzSegmentEnvelope));
    return tests;
  }

  @TestFactory
  List<DynamicTest> everyKeptRegressionInputIsHandled() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (Format f : List.of(AMPLITUDE, SEGMENT, CANONICAL)) {
      for (Map.Entry<String, JsonNode> r :
          JsonFuzz.regressions("/fuzz-regressions/" + f.name()).entrySet()) {
        tests.add(
            DynamicTest.dynamicTest(
                f.name() + "/" + r.getKey(), () -> checkOne(f, r.getValue(), "regression")));
      }
    }
    return tests;
  }

  private static void fuzz(Format f) throws Exception {
    JsonFuzz fuzz = new JsonFuzz(SEED ^ f.name().hashCode());
    SplittableRandom pick = new SplittableRandom(SEED + f.name().length());
    List<JsonNode> good = new ArrayList<>();
    List<ParsedEvent> alone = new ArrayList<>();
    for (String g : f.good()) {
      JsonNode n = JsonFuzz.JSON.readTree(g);
      good.add(n);
      alone.add(f.parse().apply(n));
      assertThat(alone.get(alone.size() - 1).problems()).as(g).isEmpty();
    }
    for (int i = 0; i < ITERATIONS; i++) {
      List<JsonNode> batch = new ArrayList<>();
      List<Integer> goodAt = new ArrayList<>();
      for (int k = 0, n = 2 + pick.nextInt(6); k < n; k++) {
        if (pick.nextInt(3) == 0) {
          goodAt.add(batch.size());
          batch.add(good.get(k % good.size()).deepCopy());
        } else {
          JsonNode base = good.get(pick.nextInt(good.size()));
          batch.add(pick.nextInt(8) == 0 ? fuzz.random(4) : fuzz.mutate(base));
        }
      }
      for (int k = 0; k < batch.size(); k++) {
        JsonNode item = batch.get(k);
        ParsedEvent p = checkOne(f, item, f.name() + " iteration " + i + " item " + k);
        if (goodAt.contains(k)) {
          int which = good.indexOf(item);
          assertThat(p.problems()).as("good event dropped: " + item).isEmpty();
          assertThat(p.event()).isEqualTo(alone.get(which).event());
        }
      }
    }
  }

  /** Batch bodies with hostile envelopes: the parser never throws, good calls stay good. */
  private void fuzzSegmentEnvelope() throws Exception {
    JsonFuzz fuzz = new JsonFuzz(SEED * 31);
    JsonNode good = JsonFuzz.JSON.readTree(SEGMENT.good().get(0));
    for (int i = 0; i < ITERATIONS / 3; i++) {
      ObjectNode body = JsonFuzz.JSON.createObjectNode();
      ArrayNode batch = body.putArray("batch");
      batch.add(good.deepCopy()).add(fuzz.mutate(good));
      body.set("context", fuzz.random(3));
      body.set("integrations", fuzz.random(2));
      JsonNode envelope = fuzz.mutate(body);
      String where = "segment envelope " + i + ": " + abbreviate(envelope);
      List<ParsedEvent> parsed;
      try {
        parsed = SegmentFormat.parseBatch(envelope, NOW);
      } catch (RuntimeException e) {
        keep("segment-envelope", envelope, where);
        throw new AssertionError(where, e);
      }
      for (ParsedEvent p : parsed) {
        checkResult(p, where);
      }
    }
  }

  private static ParsedEvent checkOne(Format f, JsonNode item, String where) throws Exception {
    ParsedEvent p;
    try {
      p = f.parse().apply(item);
    } catch (RuntimeException e) {
      keep(f.name(), item, where);
      throw new AssertionError(where + ": parser threw on " + abbreviate(item), e);
    }
    try {
      checkResult(p, where + " " + abbreviate(item));
    } catch (AssertionError e) {
      keep(f.name(), item, where);
      throw e;
    }
    return p;
  }

  private static void checkResult(ParsedEvent p, String where) {
    if (!p.ok()) {
      assertThat(p.problems()).as(where).isNotEmpty();
      for (FieldProblem problem : p.problems()) {
        assertThat(problem.field()).as(where).isNotBlank();
        assertThat(problem.message()).as(where).isNotBlank().doesNotContain("Exception");
      }
      return;
    }
    Event e = p.event();
    Event back;
    try {
      back =
          Event.fromMap(
              JsonFuzz.JSON.readValue(JsonFuzz.JSON.writeValueAsString(e.toMap()), Map.class));
    } catch (Exception ex) {
      fail(where + ": accepted event does not survive its canonical round trip: " + e, ex);
      return;
    }
    try {
      assertThat(JsonFuzz.JSON.writeValueAsString(back.toMap()))
          .as(where)
          .isEqualTo(JsonFuzz.JSON.writeValueAsString(e.toMap()));
    } catch (java.io.IOException ex) {
      fail(where, ex);
    }
  }

  private static void keep(String format, JsonNode input, String where) {
    try {
      Path dir = Path.of("target", "fuzz-failures", format);
      Files.createDirectories(dir);
      Path f = dir.resolve("seed-" + SEED + "-" + Integer.toHexString(where.hashCode()) + ".json");
      Files.writeString(f, JsonFuzz.JSON.writeValueAsString(input));
      System.err.println("fuzz failure input kept at " + f.toAbsolutePath());
    } catch (Exception ignored) {
      // the assertion still reports the input
    }
  }

  private static String abbreviate(JsonNode n) {
    String s = n.toString();
    return s.length() > 400 ? s.substring(0, 400) + "..." : s;
  }
}
