package dev.weir.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 20, point 3: a value outside what {@code java.time} or a 64-bit epoch holds makes only its
 * own event invalid, with the field named; the rest of the batch is kept.
 */
class HostileValuesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long NOW = Instant.parse("2026-01-01T12:00:00Z").toEpochMilli();

  /** The values the probe found, as JSON literals. */
  static final String[] BAD_TIMES = {
    "\"+999999999-12-31T23:59:59Z\"",
    "\"-999999999-01-01T00:00:00Z\"",
    "\"2024-01-01T00:00:00+25:00\"",
    "\"\"",
    "\"yesterday\"",
    "1700000000000",
    "true",
    "{}",
    "[]",
    "\"2024-13-01T00:00:00Z\"",
    "\"10000-01-01T00:00:00Z\"",
  };

  @ParameterizedTest
  @ValueSource(strings = {"timestamp", "sentAt", "originalTimestamp"})
  void aBadSegmentTimeMakesOnlyItsCallInvalidWithTheFieldNamed(String field) throws Exception {
    for (String bad : BAD_TIMES) {
      JsonNode body =
          JSON.readTree(
              "{\"batch\":[{\"type\":\"track\",\"event\":\"ok\",\"userId\":\"u1\"},"
                  + "{\"type\":\"track\",\"event\":\"bad\",\"userId\":\"u1\",\""
                  + field
                  + "\":"
                  + bad
                  + "},{\"type\":\"identify\",\"userId\":\"u2\"}]}");
      List<ParsedEvent> parsed = SegmentFormat.parseBatch(body, NOW);
      assertThat(parsed).extracting(ParsedEvent::ok).as(bad).containsExactly(true, false, true);
      assertThat(parsed.get(1).problems()).extracting(FieldProblem::field).containsExactly(field);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"+999999999-12-31T23:59:59Z\"", "\"yesterday\"", "12", "\"\""})
  void aBadBatchSentAtMakesTheCallsInvalidWithSentAtNamedWithoutThrowing(String bad)
      throws Exception {
    JsonNode body =
        JSON.readTree(
            "{\"sentAt\":"
                + bad
                + ",\"batch\":[{\"type\":\"track\",\"event\":\"a\",\"userId\":\"u1\","
                + "\"timestamp\":\"2026-01-01T11:00:00Z\"}]}");
    List<ParsedEvent> parsed = SegmentFormat.parseBatch(body, NOW);
    assertThat(parsed.get(0).problems()).extracting(FieldProblem::field).containsExactly("sentAt");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-01-01T11:00:00Z",
        "2026-01-01T11:00:00.123Z",
        "2026-01-01T12:00:00.123456+01:00",
        "2026-01-01T12:00:00+0100",
        "2026-01-01T12:00:00+01",
        "2026-01-01T11:00:00",
        "2026-01-01t11:00:00z"
      })
  void everyIsoShapeTheLibrariesSendIsRead(String text) throws Exception {
    ParsedEvent p =
        SegmentFormat.parse(
            JSON.readTree("{\"userId\":\"u1\",\"event\":\"a\",\"timestamp\":\"" + text + "\"}"),
            "track",
            NOW);
    assertThat(p.problems()).isEmpty();
    assertThat(p.event().time() / 1000)
        .isEqualTo(Instant.parse("2026-01-01T11:00:00Z").toEpochMilli() / 1000);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"time\":-1",
        "\"time\":1e300",
        "\"time\":9223372036854775807",
        "\"time\":\"2026-01-01T00:00:00Z\"",
        "\"session_id\":1.5",
        "\"session_id\":99999999999999999999",
        "\"quantity\":3000000000",
        "\"price\":1e400",
        "\"location_lat\":\"52\"",
        "\"event_properties\":{\"n\":1e400}",
        "\"user_properties\":[]",
        "\"plan\":\"x\"",
        "\"user_id\":12345",
        "\"insert_id\":{}"
      })
  void aBadAmplitudeValueMakesOnlyItsEventInvalidWithTheFieldNamed(String field) throws Exception {
    ObjectNode bad =
        (ObjectNode)
            JSON.readTree("{\"event_type\":\"bad\",\"device_id\":\"device-1\"," + field + "}");
    String name = field.substring(1, field.indexOf('"', 1));
    ParsedEvent p = AmplitudeFormat.parse(bad, 5, NOW, null);
    assertThat(p.ok()).as(field).isFalse();
    assertThat(p.problems()).extracting(FieldProblem::field).as(field).contains(name);
    assertThat(p.reason()).doesNotContain("Exception");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"time\":\"yesterday\"",
        "\"time\":1e300",
        "\"time\":99999999999999999999",
        "\"quantity\":3000000000",
        "\"price\":1e400",
        "\"location_lat\":\"52\"",
        "\"event_properties\":[1]",
        "\"event_properties\":{\"n\":1e400}",
        "\"plan\":{\"version\":{}}",
        "\"plan\":{\"nope\":1}",
        "\"violations\":[1]",
        "\"violations\":[{\"type\":{}}]",
        "\"unknown_field\":1",
        "\"user_id\":7"
      })
  void aBadCanonicalValueMakesOnlyItsEventInvalidWithTheFieldNamed(String field) throws Exception {
    JsonNode bad = JSON.readTree("{\"event_type\":\"bad\"," + field + "}");
    String name = field.substring(1, field.indexOf('"', 1));
    ParsedEvent p = CanonicalFormat.parse(bad, NOW);
    assertThat(p.ok()).as(field).isFalse();
    assertThat(p.problems()).extracting(FieldProblem::field).as(field).contains(name);
    assertThat(p.reason()).doesNotContain("Exception");
  }
}
