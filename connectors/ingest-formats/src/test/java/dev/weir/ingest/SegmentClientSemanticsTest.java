package dev.weir.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.Event;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What Segment's and RudderStack's official libraries send, and what Weir keeps of it (issue 21):
 * the batch-level {@code sentAt} drives the skew correction, RudderStack's {@code context.traits},
 * the page {@code category}, and every field without a model field kept under {@code $segment}.
 */
class SegmentClientSemanticsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long RECEIVED = Instant.parse("2026-01-01T12:00:00Z").toEpochMilli();

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  private static Event only(List<ParsedEvent> parsed) {
    assertThat(parsed).hasSize(1);
    assertThat(parsed.get(0).problems()).isEmpty();
    return parsed.get(0).event();
  }

  @Test
  void theBatchLevelSentAtCorrectsEveryCallForTheClientsClockSkew() throws Exception {
    // The client's clock is one hour ahead: it stamped the calls 13:00:00 and 13:00:02 and sent
    // the batch at 13:00:05 by its clock; Weir received it at 12:00:00.
    List<ParsedEvent> parsed =
        SegmentFormat.parseBatch(
            json(
                """
                {"sentAt":"2026-01-01T13:00:05.000Z",
                 "batch":[{"type":"track","event":"a","userId":"u1","timestamp":"2026-01-01T13:00:00.000Z"},
                          {"type":"track","event":"b","userId":"u1","timestamp":"2026-01-01T13:00:02.000Z"}]}"""),
            RECEIVED);

    assertThat(parsed)
        .extracting(p -> p.event().time())
        .containsExactly(
            Instant.parse("2026-01-01T11:59:55Z").toEpochMilli(),
            Instant.parse("2026-01-01T11:59:57Z").toEpochMilli());
    // The client's own strings are kept, so the correction can be audited.
    assertThat(kept(parsed.get(0).event()))
        .containsEntry("timestamp", "2026-01-01T13:00:00.000Z")
        .containsEntry("sentAt", "2026-01-01T13:00:05.000Z");
  }

  @Test
  void aCallsOwnSentAtWinsOverTheBatches() throws Exception {
    Event e =
        only(
            SegmentFormat.parseBatch(
                json(
                    """
                    {"sentAt":"2026-01-01T13:00:05Z",
                     "batch":[{"type":"track","event":"a","userId":"u1",
                               "timestamp":"2026-01-01T12:30:00Z","sentAt":"2026-01-01T12:30:10Z"}]}"""),
                RECEIVED));
    assertThat(e.time()).isEqualTo(RECEIVED - 10_000);
  }

  @Test
  void identifyTraitsSentOnlyInContextTraitsAsRudderStackDoesBecomeUserProperties()
      throws Exception {
    Event e =
        only(
            SegmentFormat.parseBatch(
                json(
                    """
                    {"batch":[{"type":"identify","userId":"u1",
                               "context":{"traits":{"email":"a@example.com","plan":"pro"},
                                          "library":{"name":"rudder-analytics-python","version":"2.0"}}}]}"""),
                RECEIVED));

    assertThat(e.eventType()).isEqualTo("$identify");
    assertThat(e.userProperties())
        .isEqualTo(Map.of("$set", Map.of("email", "a@example.com", "plan", "pro")));
    assertThat(e.eventProperties()).doesNotContainKey(SegmentFormat.KEPT);
  }

  @Test
  void topLevelTraitsWinAndContextTraitsAreThenKept() throws Exception {
    Event e =
        SegmentFormat.parse(
                json(
                    "{\"userId\":\"u1\",\"traits\":{\"plan\":\"pro\"},"
                        + "\"context\":{\"traits\":{\"plan\":\"free\"}}}"),
                "identify",
                RECEIVED)
            .event();
    assertThat(e.userProperties()).isEqualTo(Map.of("$set", Map.of("plan", "pro")));
    assertThat(kept(e)).containsEntry("context", Map.of("traits", Map.of("plan", "free")));
  }

  @Test
  void aPageCategorySentAtTheTopLevelIsKeptAsAProperty() throws Exception {
    Event e =
        SegmentFormat.parse(
                json(
                    "{\"anonymousId\":\"a1\",\"name\":\"Pricing\",\"category\":\"Docs\","
                        + "\"properties\":{\"path\":\"/pricing\"}}"),
                "page",
                RECEIVED)
            .event();
    assertThat(e.eventType()).isEqualTo("Viewed Pricing Page");
    assertThat(e.eventProperties())
        .containsEntry("category", "Docs")
        .containsEntry("name", "Pricing")
        .containsEntry("path", "/pricing");
  }

  @Test
  void everyContextFieldIsEitherMappedOrKeptUnderSegmentContext() throws Exception {
    Event e =
        SegmentFormat.parse(
                json(
                    """
                    {"type":"track","event":"Clicked","userId":"u1","messageId":"m1",
                     "integrations":{"All":false,"Mixpanel":true},"channel":"server",
                     "context":{"ip":"198.51.100.7","userAgent":"UA/1","locale":"de-DE","timezone":"Europe/Berlin",
                       "library":{"name":"analytics-node","version":"2.1.0"},
                       "app":{"name":"Shop","version":"4.2","build":"421","namespace":"com.shop"},
                       "device":{"id":"dev-1","manufacturer":"Apple","model":"iPhone15,2","type":"ios",
                                 "advertisingId":"ad-1","adTrackingEnabled":true},
                       "os":{"name":"iOS","version":"17.1"},
                       "network":{"carrier":"T-Mobile","wifi":true},
                       "location":{"city":"Berlin","country":"DE","latitude":52.5,"longitude":13.4,"speed":0},
                       "campaign":{"name":"spring","source":"google","medium":"cpc","term":"shoes","content":"a"},
                       "page":{"path":"/p","referrer":"https://r.example","search":"?q","title":"T","url":"https://s.example/p"},
                       "screen":{"width":390,"height":844,"density":3},
                       "groupId":"acme","active":true}}"""),
                null,
                RECEIVED)
            .event();

    assertThat(e.ip()).isEqualTo("198.51.100.7");
    assertThat(e.userAgent()).isEqualTo("UA/1");
    assertThat(e.language()).isEqualTo("de-DE");
    assertThat(e.library()).isEqualTo("analytics-node/2.1.0");
    assertThat(e.appVersion()).isEqualTo("4.2");
    assertThat(e.deviceManufacturer()).isEqualTo("Apple");
    assertThat(e.deviceModel()).isEqualTo("iPhone15,2");
    assertThat(e.platform()).isEqualTo("ios");
    assertThat(e.idfa()).isEqualTo("ad-1");
    assertThat(e.osName()).isEqualTo("iOS");
    assertThat(e.osVersion()).isEqualTo("17.1");
    assertThat(e.carrier()).isEqualTo("T-Mobile");
    assertThat(e.city()).isEqualTo("Berlin");
    assertThat(e.country()).isEqualTo("DE");
    assertThat(e.locationLat()).isEqualTo(52.5);
    assertThat(e.locationLng()).isEqualTo(13.4);

    Map<String, Object> kept = kept(e);
    assertThat(kept)
        .containsEntry("integrations", Map.of("All", false, "Mixpanel", true))
        .containsEntry("channel", "server");
    @SuppressWarnings("unchecked")
    Map<String, Object> context = (Map<String, Object>) kept.get("context");
    assertThat(context)
        .containsOnlyKeys(
            "timezone",
            "app",
            "device",
            "network",
            "location",
            "campaign",
            "page",
            "screen",
            "groupId",
            "active");
    assertThat(context)
        .containsEntry("timezone", "Europe/Berlin")
        .containsEntry("app", Map.of("name", "Shop", "build", "421", "namespace", "com.shop"))
        .containsEntry("device", Map.of("id", "dev-1", "adTrackingEnabled", true))
        .containsEntry("network", Map.of("wifi", true))
        .containsEntry("location", Map.of("speed", 0L))
        .containsEntry(
            "campaign",
            Map.of(
                "name", "spring", "source", "google", "medium", "cpc", "term", "shoes", "content",
                "a"))
        .containsEntry("groupId", "acme")
        .containsEntry("active", true);
    assertThat(((Map<?, ?>) context.get("page")).get("url")).isEqualTo("https://s.example/p");
  }

  @Test
  void theWriteKeyIsNeverKept() throws Exception {
    Event e =
        SegmentFormat.parse(
                json("{\"userId\":\"u1\",\"event\":\"a\",\"writeKey\":\"secret-write-key\"}"),
                "track",
                RECEIVED)
            .event();
    assertThat(e.toString()).doesNotContain("secret-write-key");
  }

  @Test
  void batchLevelIntegrationsAreMergedUnderEachCallsOwn() throws Exception {
    Event e =
        only(
            SegmentFormat.parseBatch(
                json(
                    """
                    {"integrations":{"All":true,"Slack":false},
                     "batch":[{"type":"track","event":"a","userId":"u1","integrations":{"Slack":true}}]}"""),
                RECEIVED));
    assertThat(kept(e)).containsEntry("integrations", Map.of("All", true, "Slack", true));
  }

  @Test
  void aliasAndGroupKeepTheirIdsAndTheirOtherFields() throws Exception {
    Event alias =
        SegmentFormat.parse(
                json("{\"userId\":\"new\",\"previousId\":\"old\",\"properties\":{\"x\":1}}"),
                "alias",
                RECEIVED)
            .event();
    assertThat(alias.eventProperties()).containsEntry("previous_id", "old");
    assertThat(kept(alias)).containsEntry("properties", Map.of("x", 1L));

    Event group =
        SegmentFormat.parse(
                json(
                    "{\"userId\":\"u\",\"groupId\":\"acme\",\"traits\":{\"group_type\":\"org\",\"seats\":5}}"),
                "group",
                RECEIVED)
            .event();
    assertThat(group.groups()).isEqualTo(Map.of("org", "acme"));
    assertThat(group.groupProperties()).containsEntry("seats", 5L);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> kept(Event e) {
    Object kept = e.eventProperties().get(SegmentFormat.KEPT);
    assertThat(kept).as("event_properties.$segment of " + e).isInstanceOf(Map.class);
    return (Map<String, Object>) kept;
  }
}
