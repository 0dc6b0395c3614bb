package dev.weir.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.Event;
import org.junit.jupiter.api.Test;

class AmplitudeFormatTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long NOW = 1_700_000_000_000L;

  private static ParsedEvent parse(String json) throws Exception {
    return AmplitudeFormat.parse(
        JSON.readTree(json), AmplitudeFormat.DEFAULT_MIN_ID_LENGTH, NOW, "203.0.113.9");
  }

  @Test
  void fullEventMapsOntoTheModel() throws Exception {
    ParsedEvent parsed =
        parse(
            """
        {"event_type":"Purchase","user_id":"user-1","device_id":"device-1","time":1699999999000,
         "insert_id":"ins-1","event_properties":{"sku":"A-1","n":2},"productId":"p-9","revenueType":"sale",
         "price":9.5,"quantity":2,"revenue":19.0,"ip":"$remote","session_id":-1,"version_name":"3.1",
         "plan":{"version":"4","branch":"main"},"partner_id":"ignored","ingestion_metadata":{"source_name":"x"}}""");

    assertThat(parsed.ok()).isTrue();
    Event e = parsed.event();
    assertThat(e.eventType()).isEqualTo("Purchase");
    assertThat(e.time()).isEqualTo(1_699_999_999_000L);
    assertThat(e.uploadTime()).isEqualTo(NOW);
    assertThat(e.eventProperties()).containsEntry("sku", "A-1").containsEntry("n", 2L);
    assertThat(e.productId()).isEqualTo("p-9");
    assertThat(e.quantity()).isEqualTo(2);
    assertThat(e.ip()).isEqualTo("203.0.113.9");
    assertThat(e.appVersion()).isEqualTo("3.1");
    assertThat(e.plan().version()).isEqualTo("4");
    assertThat(e.sessionId()).isEqualTo(-1L);
  }

  @Test
  void missingTimeDefaultsToUploadTime() throws Exception {
    assertThat(parse("{\"event_type\":\"x\",\"device_id\":\"device-1\"}").event().time())
        .isEqualTo(NOW);
  }

  @Test
  void isoTimeIsInvalid() throws Exception {
    ParsedEvent parsed =
        parse(
            "{\"event_type\":\"x\",\"device_id\":\"device-1\",\"time\":\"2024-01-01T00:00:00Z\"}");
    assertThat(parsed.problems())
        .extracting(FieldProblem::kind, FieldProblem::field)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(FieldProblem.Kind.INVALID, "time"));
  }

  @Test
  void eventTypeAndSomeIdAreRequired() throws Exception {
    ParsedEvent parsed = parse("{\"user_properties\":{}}");
    assertThat(parsed.problems())
        .extracting(FieldProblem::kind)
        .containsOnly(FieldProblem.Kind.MISSING);
    assertThat(parsed.problems())
        .extracting(FieldProblem::field)
        .containsExactly("event_type", "device_id");
  }

  @Test
  void junkAndShortIdsAreRejected() throws Exception {
    assertThat(parse("{\"event_type\":\"x\",\"user_id\":\"Undefined\"}").problems())
        .extracting(FieldProblem::kind, FieldProblem::field)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(FieldProblem.Kind.INVALID, "user_id"));
    assertThat(parse("{\"event_type\":\"x\",\"device_id\":\"abc\"}").problems())
        .extracting(FieldProblem::kind)
        .containsExactly(FieldProblem.Kind.INVALID_ID_LENGTH);
    ParsedEvent shortAllowed =
        AmplitudeFormat.parse(
            JSON.readTree("{\"event_type\":\"x\",\"device_id\":\"abc\"}"), 3, NOW, null);
    assertThat(shortAllowed.ok()).isTrue();
  }

  @Test
  void longStringsAreCutAndDeepObjectsRefused() throws Exception {
    String huge = "y".repeat(5000);
    ParsedEvent cut =
        parse(
            "{\"event_type\":\"x\",\"device_id\":\"device-1\",\"event_properties\":{\"s\":\""
                + huge
                + "\"}}");
    assertThat((String) cut.event().eventProperties().get("s")).hasSize(1024);

    String deep = "{\"a\":".repeat(45) + "1" + "}".repeat(45);
    ParsedEvent tooDeep =
        parse(
            "{\"event_type\":\"x\",\"device_id\":\"device-1\",\"event_properties\":" + deep + "}");
    assertThat(tooDeep.problems())
        .extracting(FieldProblem::field)
        .containsExactly("event_properties");
  }

  @Test
  void wrongTypesAreReportedPerField() throws Exception {
    ParsedEvent parsed =
        parse(
            """
        {"event_type":"x","device_id":"device-1","event_properties":[1],"price":"cheap","platform":7}""");
    assertThat(parsed.problems())
        .extracting(FieldProblem::field)
        .containsExactlyInAnyOrder("event_properties", "price", "platform");
  }

  @Test
  void nonObjectEventIsRejected() throws Exception {
    JsonNode node = JSON.readTree("42");
    assertThat(AmplitudeFormat.parse(node, 5, NOW, null).ok()).isFalse();
  }
}
