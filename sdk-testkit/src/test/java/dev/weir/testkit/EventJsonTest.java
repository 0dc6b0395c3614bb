package dev.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.Event;
import dev.weir.sdk.Violation;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The SDK's own JSON writer against Jackson, and the event model's map round trip. */
class EventJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void toJsonWritesExactlyWhatJacksonWritesForTheCanonicalMap() throws Exception {
    Random r = new Random(13);
    for (int i = 0; i < 2000; i++) {
      Event e = Events.random(r);
      if (i % 7 == 0) {
        e = e.toBuilder().addViolation(new Violation("t\u00e9", "f\"", "m\n")).build();
      }
      assertThat(e.toJson()).isEqualTo(JSON.writeValueAsString(e.toMap()));
      // Jackson's UTF-8 generator escapes surrogate pairs; the text differs there, not the value
      assertThat(JSON.readTree(e.toJson().getBytes(StandardCharsets.UTF_8)))
          .isEqualTo(JSON.readTree(JSON.writeValueAsBytes(e.toMap())));
    }
  }

  @Test
  void randomEventsSurviveJsonTextAndMapsFieldByField() throws Exception {
    Random r = new Random(7);
    for (int i = 0; i < 2000; i++) {
      Event e = Events.random(r);
      @SuppressWarnings("unchecked")
      Map<String, Object> parsed = JSON.readValue(e.toJson(), Map.class);
      Event back = Event.fromMap(parsed);
      for (Event.Field f : Event.Field.values()) {
        assertThat(back.get(f)).as(f.jsonName()).isEqualTo(e.get(f));
      }
      assertThat(back).isEqualTo(e).hasSameHashCodeAs(e);
    }
  }

  @Test
  void equalsComparesFieldsWithoutCaringHowTheyWereBuilt() {
    Event a = Events.sample().insertId("x").build();
    Event b = Event.fromMap(a.toMap());
    Event c = a.toBuilder().country("FR").build();

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
    assertThat(a.toBuilder().build().eventProperties()).isSameAs(a.eventProperties());
  }
}
