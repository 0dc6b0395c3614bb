package dev.weir.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.Event;
import org.junit.jupiter.api.Test;

class CanonicalFormatTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long NOW = 1_700_000_000_000L;

  private static ParsedEvent parse(String json) throws Exception {
    return CanonicalFormat.parse(JSON.readTree(json), NOW);
  }

  @Test
  void everyCanonicalFieldRoundTripsThroughTheFormat() throws Exception {
    Event original =
        Event.builder()
            .eventType("Purchase")
            .userId("user-1")
            .deviceId("device-1")
            .time(NOW - 1)
            .insertId("i-1")
            .sessionId(5L)
            .eventProperties(java.util.Map.of("a", 1L, "b", java.util.List.of("x", true)))
            .price(2.5)
            .quantity(2)
            .revenue(5.0)
            .productId("sku")
            .plan(new dev.weir.sdk.Plan("main", "web", "3", null))
            .build();
    ParsedEvent parsed = parse(JSON.writeValueAsString(original.toMap()));
    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.event()).isEqualTo(original);
  }

  @Test
  void aClientsUploadTimeAndSourceIdAreIgnored() throws Exception {
    ParsedEvent parsed =
        parse(
            "{\"event_type\":\"A\",\"user_id\":\"u-1\",\"upload_time\":1,\"source_id\":\"forged\"}");
    assertThat(parsed.ok()).isTrue();
    assertThat(parsed.event().uploadTime()).isNull();
    assertThat(parsed.event().sourceId()).isNull();
    assertThat(parsed.event().eventProperties()).isEmpty();
  }

  @Test
  void aMissingTimeIsTheReceiveTime() throws Exception {
    assertThat(parse("{\"event_type\":\"A\",\"device_id\":\"d-1\"}").event().time()).isEqualTo(NOW);
  }

  @Test
  void everyBadFieldIsReportedNotOnlyTheFirst() throws Exception {
    ParsedEvent parsed = parse("{\"time\":\"x\",\"price\":\"y\",\"user_id\":\"ok\"}");
    assertThat(parsed.problems())
        .extracting(FieldProblem::field)
        .containsExactlyInAnyOrder("event_type", "time", "price");
  }

  @Test
  void anEventWithNeitherAUserIdNorADeviceIdIsRefusedUnderDeviceId() throws Exception {
    for (String json :
        new String[] {
          "{\"event_type\":\"A\"}",
          "{\"event_type\":\"A\",\"user_id\":\"\",\"device_id\":\" \"}",
          "{\"event_type\":\"A\",\"user_id\":null}"
        }) {
      ParsedEvent parsed = parse(json);
      assertThat(parsed.ok()).as(json).isFalse();
      assertThat(parsed.problems())
          .as(json)
          .containsExactly(
              new FieldProblem(
                  FieldProblem.Kind.MISSING,
                  "device_id",
                  "an event needs a user_id or a device_id"));
    }
    assertThat(parse("{\"event_type\":\"A\",\"user_id\":\"u-1\"}").ok()).isTrue();
    assertThat(parse("{\"event_type\":\"A\",\"device_id\":\"d-1\"}").ok()).isTrue();
  }
}
