package dev.weir.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Event equality and hashing compare what events hold without copying or decoding it. */
class EventEqualityTest {
  private static Map<String, Object> props(boolean reversed, Object last) {
    JsonObjectWriter w = new JsonObjectWriter();
    w.beginObject();
    if (reversed) {
      w.key("c").beginObject().key("d").value(true).endObject();
      w.key("b").beginArray().value(1L).value("x\u00e9\uD83D\uDE00").endArray();
      w.key("a").value(1L);
      w.key("z").value(2.5);
      w.key("last").value((String) last);
    } else {
      w.key("a").value(1L);
      w.key("b").beginArray().value(1L).value("x\u00e9\uD83D\uDE00").endArray();
      w.key("c").beginObject().key("d").value(true).endObject();
      w.key("last").value((String) last);
      w.key("z").value(2.5);
    }
    return w.endObject().take();
  }

  private static Event event(Map<String, Object> props) {
    Event built = Event.builder().eventType("A").userId("u-1").eventProperties(props).build();
    byte[] rec = built.toRecord();
    return Event.fromRecord(rec, 0, rec.length);
  }

  private static boolean decoded(Event e) {
    return ((CompactMap) e.eventProperties()).isDecoded();
  }

  @Test
  void eventsWhosePropertiesDifferOnlyInKeyOrderAreEqualWithoutDecodingThem() {
    Event a = event(props(false, "same"));
    Event b = event(props(true, "same"));

    assertThat(a.equals(b)).isTrue();
    assertThat(a.hashCode()).isEqualTo(b.hashCode());
    assertThat(decoded(a)).isFalse();
    assertThat(decoded(b)).isFalse();
  }

  @Test
  void aDifferenceDeepInThePropertiesMakesEventsUnequal() {
    Event a = event(props(false, "one"));
    Event b = event(props(true, "two"));

    assertThat(a.equals(b)).isFalse();
    assertThat(decoded(a)).isFalse();
    assertThat(decoded(b)).isFalse();
  }

  @Test
  void compactPropertiesHashAndCompareLikeTheSameMapBuiltByHand() {
    Map<String, Object> byHand = new LinkedHashMap<>();
    byHand.put("z", 2.5);
    byHand.put("last", "same");
    byHand.put("c", Map.of("d", true));
    byHand.put("b", List.of(1L, "x\u00e9\uD83D\uDE00"));
    byHand.put("a", 1L);
    Event compact = event(props(false, "same"));
    Event built = Event.builder().eventType("A").userId("u-1").eventProperties(byHand).build();

    assertThat(compact.eventProperties().hashCode()).isEqualTo(byHand.hashCode());
    assertThat(compact.hashCode()).isEqualTo(built.hashCode());
    assertThat(compact).isEqualTo(built);
    assertThat(built).isEqualTo(compact);
    assertThat(decoded(compact)).isFalse();
  }
}
