package dev.weir.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.Event;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What Amplitude's SDKs send beyond the flat HTTP V2 fields (issue 21): revenue as {@code
 * $price}-style event properties, identify operations, groups and group identify.
 */
class AmplitudeClientSemanticsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long NOW = 1_700_000_000_000L;

  private static Event parse(String json) throws Exception {
    ParsedEvent p = AmplitudeFormat.parse(JSON.readTree(json), 5, NOW, null);
    assertThat(p.problems()).isEmpty();
    return p.event();
  }

  @Test
  void revenuePropertiesAsTheSdksSendThemFillTheRevenueFields() throws Exception {
    Event e =
        parse(
            """
            {"event_type":"revenue_amount","user_id":"user-1",
             "event_properties":{"$price":9.5,"$quantity":3,"$productId":"sku-1",
                                 "$revenueType":"purchase","$currency":"EUR","$receipt":"r-1"}}""");

    assertThat(e.price()).isEqualTo(9.5);
    assertThat(e.quantity()).isEqualTo(3);
    assertThat(e.revenue()).isEqualTo(28.5); // price x quantity, as Amplitude computes it
    assertThat(e.productId()).isEqualTo("sku-1");
    assertThat(e.revenueType()).isEqualTo("purchase");
    assertThat(e.currency()).isEqualTo("EUR");
    // The properties stay as sent.
    assertThat(e.eventProperties()).containsEntry("$price", 9.5).containsEntry("$receipt", "r-1");
  }

  @Test
  void aRevenuePropertyAloneIsTheRevenueAndAPriceAloneCountsOnce() throws Exception {
    assertThat(
            parse(
                    "{\"event_type\":\"r\",\"user_id\":\"user-1\",\"event_properties\":{\"$revenue\":-4.0}}")
                .revenue())
        .isEqualTo(-4.0);
    Event priceOnly =
        parse(
            "{\"event_type\":\"r\",\"user_id\":\"user-1\",\"event_properties\":{\"$price\":2.5}}");
    assertThat(priceOnly.revenue()).isEqualTo(2.5);
    assertThat(priceOnly.quantity()).isNull();
  }

  private static Event streamed(String json) throws Exception {
    try (com.fasterxml.jackson.core.JsonParser p = JSON.createParser(json)) {
      p.nextToken();
      ParsedEvent parsed = AmplitudeFormat.parse(p, 5, NOW, null);
      assertThat(parsed.problems()).isEmpty();
      return parsed.event();
    }
  }

  @Test
  void revenuePropertiesAreReadAsTheirObjectHoldsThemRepeatedNestedOrReplacedByBadOnes()
      throws Exception {
    // Read from text with the streaming parser: a tree would have dropped the repeated keys.
    Event e =
        streamed(
            """
            {"event_type":"r","user_id":"user-1",
             "event_properties":{"$price":1e999,"$price":3,"nested":{"$quantity":7},
                                 "$quantity":"two","$currency":"USD","$currency":"EUR",
                                 "$productId":["not","text"]},
             "event_properties":{"$price":2.5,"$quantity":4,"$currency":"CHF",
                                 "$productId":null,"$revenueType":"x\u00e9\ud83d\ude00"}}""");
    // The last event_properties wins, as in a tree; its values are the ones read.
    assertThat(e.price()).isEqualTo(2.5);
    assertThat(e.quantity()).isEqualTo(4);
    assertThat(e.revenue()).isEqualTo(10.0);
    assertThat(e.currency()).isEqualTo("CHF");
    assertThat(e.productId()).isNull();
    assertThat(e.revenueType()).isEqualTo("x\u00e9\ud83d\ude00");

    Event first =
        streamed(
            """
            {"event_type":"r","user_id":"user-1",
             "event_properties":{"$price":1e999,"$price":3,"nested":{"$quantity":7},
                                 "$quantity":"two","$currency":"USD","$currency":"EUR",
                                 "$productId":["not","text"]}}""");
    assertThat(first.price()).isEqualTo(3.0); // the bad first value was replaced
    assertThat(first.quantity()).isNull(); // a string, and the nested one is not top-level
    assertThat(first.revenue()).isEqualTo(3.0);
    assertThat(first.currency()).isEqualTo("EUR");
    assertThat(first.productId()).isNull();
  }

  @Test
  void topLevelRevenueFieldsWinOverTheProperties() throws Exception {
    Event e =
        parse(
            """
            {"event_type":"r","user_id":"user-1","price":2.0,"quantity":2,"productId":"top",
             "event_properties":{"$price":100,"$quantity":100,"$productId":"prop"}}""");
    assertThat(e.price()).isEqualTo(2.0);
    assertThat(e.quantity()).isEqualTo(2);
    assertThat(e.revenue()).isEqualTo(4.0);
    assertThat(e.productId()).isEqualTo("top");
  }

  @Test
  void identifyOperationsAreKeptAsOperations() throws Exception {
    Event e =
        parse(
            """
            {"event_type":"$identify","user_id":"user-1","user_properties":{
               "$set":{"plan":"pro"},"$setOnce":{"first_seen":"2026-01-01"},"$add":{"logins":1},
               "$append":{"tags":"beta"},"$prepend":{"tags":"first"},"$unset":{"trial":"-"},
               "$preInsert":{"a":"x"},"$postInsert":{"b":"y"},"$remove":{"c":"z"}}}""");
    assertThat(e.eventType()).isEqualTo("$identify");
    assertThat(e.userProperties())
        .containsEntry("$set", Map.of("plan", "pro"))
        .containsEntry("$setOnce", Map.of("first_seen", "2026-01-01"))
        .containsEntry("$add", Map.of("logins", 1L))
        .containsEntry("$append", Map.of("tags", "beta"))
        .containsEntry("$prepend", Map.of("tags", "first"))
        .containsEntry("$unset", Map.of("trial", "-"))
        .containsKeys("$preInsert", "$postInsert", "$remove");
  }

  @Test
  void groupsAndGroupIdentifyAreKeptAsDocumented() throws Exception {
    Event setGroup =
        parse(
            """
            {"event_type":"$identify","user_id":"user-1","groups":{"org":["acme","globex"]},
             "user_properties":{"$set":{"org":["acme","globex"]}}}""");
    assertThat(setGroup.groups()).isEqualTo(Map.of("org", List.of("acme", "globex")));

    Event groupIdentify =
        parse(
            """
            {"event_type":"$groupidentify","device_id":"device-1","groups":{"org":"acme"},
             "group_properties":{"$set":{"seats":5},"$add":{"logins":1}}}""");
    assertThat(groupIdentify.groups()).isEqualTo(Map.of("org", "acme"));
    assertThat(groupIdentify.groupProperties())
        .isEqualTo(Map.of("$set", Map.of("seats", 5L), "$add", Map.of("logins", 1L)));
  }
}
