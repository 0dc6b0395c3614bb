package dev.weir.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventTest {

  @Test
  void canonicalMapRoundTripsEveryField() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("event_type", "Add To Cart");
    json.put("user_id", "u-1");
    json.put("device_id", "d-1");
    json.put("time", 1_700_000_000_000L);
    json.put("insert_id", "ins-1");
    json.put("event_properties", Map.of("price", 12.5, "tags", List.of("a", "b")));
    json.put("user_properties", Map.of("$set", Map.of("plan", "pro")));
    json.put("location_lat", 52.5);
    json.put("quantity", 3);
    json.put("plan", Map.of("version", "7", "branch", "main"));
    json.put("source_id", "web");
    json.put("upload_time", 1_700_000_000_500L);
    json.put(
        "violations",
        List.of(
            Map.of(
                "type",
                "unplanned-property",
                "field",
                "event_properties.x",
                "message",
                "not in plan")));

    Event event = Event.fromMap(json);

    assertThat(event.eventType()).isEqualTo("Add To Cart");
    assertThat(event.quantity()).isEqualTo(3);
    assertThat(event.plan().version()).isEqualTo("7");
    assertThat(event.violations())
        .containsExactly(new Violation("unplanned-property", "event_properties.x", "not in plan"));
    assertThat(Event.fromMap(event.toMap())).isEqualTo(event);
    assertThat(event.toMap().keySet())
        .containsExactlyElementsOf(Event.FIELD_NAMES.stream().filter(json::containsKey).toList());
  }

  @Test
  void forEachJsonFieldVisitsWhatToMapHoldsInItsOrderWithoutCopies() {
    Event event =
        Event.builder()
            .eventType("x")
            .userId("u")
            .eventProperties(Map.of("nested", Map.of("a", 1), "tags", List.of("t")))
            .build();
    Map<String, Object> seen = new LinkedHashMap<>();

    event.forEachJsonField(seen::put);

    assertThat(seen).isEqualTo(event.toMap());
    assertThat(seen.keySet()).containsExactlyElementsOf(event.toMap().keySet());
    assertThat(seen.get("event_properties")).isSameAs(event.eventProperties());
  }

  @Test
  void propertiesAreDeepCopiesThatCannotBeChanged() {
    Map<String, Object> props = new HashMap<>();
    List<Object> tags = new ArrayList<>(List.of("a"));
    props.put("tags", tags);
    Event event = Event.builder().eventType("x").eventProperties(props).build();

    tags.add("b");
    props.put("late", true);

    assertThat(event.eventProperties()).isEqualTo(Map.of("tags", List.of("a")));
    assertThatThrownBy(() -> event.eventProperties().put("y", 1))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void wrongTypesAreReportedWithTheFieldName() {
    assertThatThrownBy(() -> Event.fromMap(Map.of("time", "2024-01-01T00:00:00Z")))
        .hasMessage("field 'time' must be a whole number within 64 bits, got a string");
    assertThatThrownBy(
            () -> Event.fromMap(Map.of("time", new BigInteger("99999999999999999999999"))))
        .hasMessageContaining("field 'time'");
    assertThatThrownBy(() -> Event.fromMap(Map.of("event_properties", List.of())))
        .hasMessage("field 'event_properties' must be an object, got an array");
    assertThatThrownBy(() -> Event.fromMap(Map.of("evnt_type", "x")))
        .hasMessage("unknown event field 'evnt_type'");
  }

  @Test
  void integralDoublesAreAcceptedAsWholeNumbers() {
    Event event = Event.fromMap(Map.of("time", 1.7e12, "session_id", -1));
    assertThat(event.time()).isEqualTo(1_700_000_000_000L);
    assertThat(event.sessionId()).isEqualTo(-1L);
  }

  @Test
  void identityPrefersUserIdOverDeviceId() {
    assertThat(Event.builder().userId("u").deviceId("d").build().identity()).isEqualTo("u");
    assertThat(Event.builder().deviceId("d").build().identity()).isEqualTo("d");
  }

  @Test
  void settingsNeverPrintTheirValues() {
    Settings settings = Settings.of(Map.of("token", "s3cret", "timeout_ms", 500));
    assertThat(settings.toString()).doesNotContain("s3cret");
    assertThat(settings.millis("timeout_ms", null).toMillis()).isEqualTo(500);
    assertThatThrownBy(() -> settings.requireString("url")).hasMessage("setting 'url' is required");
  }
}
