package dev.weir.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.Event;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmentFormatTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long RECEIVED = Instant.parse("2026-01-01T12:00:10Z").toEpochMilli();

  @Test
  void trackMapsEventPropertiesRevenueAndContext() throws Exception {
    ParsedEvent parsed =
        SegmentFormat.parse(
            JSON.readTree(
                """
        {"type":"track","event":"Order Completed","userId":"u-1","anonymousId":"a-1","messageId":"m-1",
         "properties":{"revenue":42.5,"currency":"EUR","productId":"sku-1"},
         "context":{"ip":"198.51.100.7","library":{"name":"analytics-java","version":"3.5.4"},
                    "os":{"name":"iOS","version":"17"},"device":{"type":"ios","advertisingId":"ad-1"},
                    "protocols":{"event_version":3}}}"""),
            null,
            RECEIVED);

    Event e = parsed.event();
    assertThat(e.eventType()).isEqualTo("Order Completed");
    assertThat(e.userId()).isEqualTo("u-1");
    assertThat(e.deviceId()).isEqualTo("a-1");
    assertThat(e.insertId()).isEqualTo("m-1");
    assertThat(e.revenue()).isEqualTo(42.5);
    assertThat(e.currency()).isEqualTo("EUR");
    assertThat(e.productId()).isEqualTo("sku-1");
    assertThat(e.ip()).isEqualTo("198.51.100.7");
    assertThat(e.library()).isEqualTo("analytics-java/3.5.4");
    assertThat(e.idfa()).isEqualTo("ad-1");
    assertThat(e.plan().version()).isEqualTo("3");
    assertThat(e.time()).isEqualTo(RECEIVED);
  }

  @Test
  void timestampIsCorrectedForClientClockSkew() throws Exception {
    // The client clock is 60 s fast: it stamped the event at 12:01:00 and sent it at 12:01:05.
    ParsedEvent parsed =
        SegmentFormat.parse(
            JSON.readTree(
                """
        {"type":"track","event":"x","userId":"u","timestamp":"2026-01-01T12:01:00Z",
         "sentAt":"2026-01-01T12:01:05.000Z"}"""),
            null,
            RECEIVED);
    assertThat(parsed.event().time())
        .isEqualTo(Instant.parse("2026-01-01T12:00:05Z").toEpochMilli());
  }

  @Test
  void identifyGroupPageAndAliasMapToTheirEventTypes() throws Exception {
    Event identify =
        SegmentFormat.parse(
                JSON.readTree("{\"userId\":\"u\",\"traits\":{\"plan\":\"pro\"}}"),
                "identify",
                RECEIVED)
            .event();
    assertThat(identify.eventType()).isEqualTo("$identify");
    assertThat(identify.userProperties()).isEqualTo(Map.of("$set", Map.of("plan", "pro")));

    Event group =
        SegmentFormat.parse(
                JSON.readTree("{\"userId\":\"u\",\"groupId\":\"acme\",\"traits\":{\"seats\":5}}"),
                "group",
                RECEIVED)
            .event();
    assertThat(group.eventType()).isEqualTo("$groupidentify");
    assertThat(group.groups()).isEqualTo(Map.of("group", "acme"));

    Event page =
        SegmentFormat.parse(
                JSON.readTree("{\"anonymousId\":\"a\",\"name\":\"Pricing\"}"), "page", RECEIVED)
            .event();
    assertThat(page.eventType()).isEqualTo("Viewed Pricing Page");

    Event alias =
        SegmentFormat.parse(
                JSON.readTree("{\"userId\":\"u\",\"previousId\":\"old\"}"), "alias", RECEIVED)
            .event();
    assertThat(alias.eventProperties()).isEqualTo(Map.of("previous_id", "old"));
  }

  @Test
  void batchMergesSharedContextAndReportsBadItemsByIndex() throws Exception {
    List<ParsedEvent> parsed =
        SegmentFormat.parseBatch(
            JSON.readTree(
                """
        {"batch":[{"type":"track","event":"a","userId":"u","context":{"ip":"1.2.3.4"}},
                  {"type":"track","userId":"u"},
                  {"type":"bogus","userId":"u"},
                  {"type":"identify","anonymousId":"x"}],
         "context":{"library":{"name":"lib"},"ip":"9.9.9.9"}}"""),
            RECEIVED);

    assertThat(parsed).extracting(ParsedEvent::ok).containsExactly(true, false, false, true);
    assertThat(parsed.get(0).event().ip()).isEqualTo("1.2.3.4");
    assertThat(parsed.get(0).event().library()).isEqualTo("lib");
    assertThat(parsed.get(1).problems()).extracting(FieldProblem::field).containsExactly("event");
    assertThat(parsed.get(2).problems()).extracting(FieldProblem::field).containsExactly("type");
    assertThat(parsed.get(3).event().ip()).isEqualTo("9.9.9.9");
  }

  @Test
  void idsAndTrackNameAreRequired() throws Exception {
    ParsedEvent parsed = SegmentFormat.parse(JSON.readTree("{\"type\":\"track\"}"), null, RECEIVED);
    assertThat(parsed.problems())
        .extracting(FieldProblem::field)
        .containsExactly("userId", "event");
  }

  @Test
  void overlongMessageIdIsInvalid() throws Exception {
    ParsedEvent parsed =
        SegmentFormat.parse(
            JSON.readTree(
                "{\"type\":\"track\",\"event\":\"e\",\"userId\":\"u\",\"messageId\":\""
                    + "m".repeat(120)
                    + "\"}"),
            null,
            RECEIVED);
    assertThat(parsed.problems()).extracting(FieldProblem::field).containsExactly("messageId");
  }
}
