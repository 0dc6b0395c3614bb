package dev.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.Event;
import dev.weir.sdk.JsonObjectWriter;
import dev.weir.sdk.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The event's compact record and the streaming object writer, against the event's own maps. */
class EventRecordTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void randomEventsReadBackFromTheirRecordsEqualFieldByField() {
    Random r = new Random(21);
    for (int i = 0; i < 3000; i++) {
      Event e = Events.random(r);
      if (i % 5 == 0) {
        e = e.toBuilder().addViolation(new Violation("type-mismatch", "x\uD800", "m\n")).build();
      }
      byte[] rec = e.toRecord();
      byte[] padded = new byte[rec.length + 7];
      System.arraycopy(rec, 0, padded, 3, rec.length);
      Event back = Event.fromRecord(padded, 3, rec.length);
      for (Event.Field f : Event.Field.values()) {
        assertThat(back.get(f)).as(f.jsonName()).isEqualTo(e.get(f));
        assertThat(back.has(f)).as(f.jsonName()).isEqualTo(e.has(f));
      }
      assertThat(back.toJson()).isEqualTo(e.toJson());
      assertThat(Event.fromRecord(padded, 3, rec.length).toMap()).isEqualTo(e.toMap());
      assertThat(back).isEqualTo(e).hasSameHashCodeAs(e);
      assertThat(back.toRecord()).isEqualTo(rec);
      assertThat(back.toBuilder().build().toRecord()).isEqualTo(rec);
    }
  }

  @Test
  void aRecordIsSmallerThanItsJsonAndNamesNoField() {
    Event e = Events.sample().build();
    byte[] rec = e.toRecord();
    assertThat(rec.length).isLessThan(e.toJson().length());
    assertThat(new String(rec, java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("event_type")
        .doesNotContain("insert_id");
  }

  @Test
  void loneSurrogatesSurviveTheRecord() {
    String odd = "a\uD800b\uDC00c\uDBFF";
    Event e =
        Event.builder()
            .eventType(odd)
            .eventProperties(Map.of(odd, List.of(odd, Map.of("k", odd))))
            .build();
    Event back = Event.fromRecord(e.toRecord(), 0, e.toRecord().length);
    assertThat(back.eventType()).isEqualTo(odd);
    assertThat(back.eventProperties()).isEqualTo(e.eventProperties());
    assertThat(back.toJson()).isEqualTo(e.toJson());
  }

  @Test
  void corruptRecordsAreRefusedWithoutReadingOutOfBounds() {
    byte[] rec = Events.sample().build().toRecord();
    assertThatThrownBy(() -> Event.fromRecord(new byte[] {7, 0, 0, 0, 1}, 0, 5))
        .isInstanceOf(IllegalArgumentException.class);
    Random r = new Random(3);
    for (int i = 0; i < 2000; i++) {
      byte[] bad = rec.clone();
      int len = 1 + r.nextInt(bad.length);
      bad[r.nextInt(len)] = (byte) r.nextInt(256);
      try {
        Event e = Event.fromRecord(bad, 0, len);
        e.toJson();
        e.toMap();
      } catch (IllegalArgumentException expected) {
        // refused with a message, never an index error
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
  }

  @Test
  void theWriterBuildsTheSameObjectsAsMaps() throws Exception {
    Random r = new Random(5);
    JsonObjectWriter w = new JsonObjectWriter();
    List<Map<String, Object>> written = new ArrayList<>();
    List<Map<String, Object>> expected = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      Map<String, Object> m = Events.random(r).eventProperties();
      @SuppressWarnings("unchecked")
      Map<String, Object> plain =
          (Map<String, Object>) normal(JSON.readValue(JSON.writeValueAsString(m), Map.class));
      w.beginObject();
      entries(w, plain);
      w.endObject();
      Map<String, Object> got = w.take();
      written.add(got);
      expected.add(plain);
    }
    // maps handed out stay valid while the writer goes on
    for (int i = 0; i < written.size(); i++) {
      Map<String, Object> got = written.get(i);
      Map<String, Object> want = expected.get(i);
      assertThat(JSON.writeValueAsString(got)).isEqualTo(JSON.writeValueAsString(want));
      Event a = Event.builder().eventType("x").eventProperties(got).build();
      Event b = Event.builder().eventType("x").eventProperties(want).build();
      assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
      assertThat(a.toJson()).isEqualTo(b.toJson());
      assertThat(a.toRecord()).isEqualTo(b.toRecord());
      assertThat(a.eventProperties()).isSameAs(got);
      Map<String, Object> fresh =
          Event.fromRecord(a.toRecord(), 0, a.toRecord().length).eventProperties();
      for (String k : want.keySet()) {
        assertThat(fresh.get(k)).isEqualTo(want.get(k));
        assertThat(fresh.containsKey(k)).isTrue();
      }
      assertThat(got.get("no such key \u0001")).isNull();
    }
  }

  @Test
  void aRepeatedKeyKeepsItsFirstPlaceAndItsLastValueLikeALinkedHashMap() {
    JsonObjectWriter w = new JsonObjectWriter();
    w.beginObject()
        .key("a")
        .value(1L)
        .key("b")
        .beginObject()
        .key("x")
        .value("1")
        .key("x")
        .value("2");
    w.endObject().key("a").value("last").key("c").nullValue().endObject();
    Map<String, Object> m = w.take();
    Map<String, Object> want = new LinkedHashMap<>();
    want.put("a", "last");
    want.put("b", Map.of("x", "2"));
    want.put("c", null);
    assertThat(m).isEqualTo(want);
    assertThat(new ArrayList<>(m.keySet())).containsExactly("a", "b", "c");
    Event e = Event.builder().eventType("x").eventProperties(m).build();
    assertThat(e.toJson())
        .isEqualTo(
            "{\"event_type\":\"x\",\"event_properties\":{\"a\":\"last\",\"b\":{\"x\":\"2\"},\"c\":null}}");

    // many keys, one repeated far apart
    w.beginObject();
    for (int i = 0; i < 100; i++) {
      w.key("k" + i).value(i);
    }
    w.key("k7").value(-1L).endObject();
    Map<String, Object> big = w.take();
    assertThat(big).hasSize(100).containsEntry("k7", -1L);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aBigObjectMovesToALargerArrayWithoutDisturbingEarlierOnes() {
    JsonObjectWriter w = new JsonObjectWriter();
    w.beginObject().key("small").value("s").endObject();
    Map<String, Object> small = w.take();
    w.beginObject().key("big").beginArray();
    for (int i = 0; i < 20_000; i++) {
      w.value("item-" + i);
    }
    w.endArray().endObject();
    Map<String, Object> big = w.take();
    assertThat(small).isEqualTo(Map.of("small", "s"));
    assertThat((List<Object>) big.get("big")).hasSize(20_000).endsWith((Object) "item-19999");
  }

  @Test
  void anAbandonedObjectLeavesNothingBehind() {
    JsonObjectWriter w = new JsonObjectWriter();
    w.beginObject().key("a").beginArray().value(1L);
    w.abandon();
    assertThat(w.depth()).isZero();
    w.beginObject().key("b").value(true).endObject();
    assertThat(w.take()).isEqualTo(Map.of("b", true));
    assertThatThrownBy(() -> w.value(1L)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> w.beginObject().value(1L)).isInstanceOf(IllegalStateException.class);
  }

  /** What the writer reads back: whole numbers as Long, bigger ones as Double. */
  private static Object normal(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put((String) k, normal(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      return l.stream()
          .map(EventRecordTest::normal)
          .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    }
    if (v instanceof java.math.BigInteger b) {
      return b.doubleValue();
    }
    if (v instanceof Integer i) {
      return i.longValue();
    }
    return v;
  }

  private static void entries(JsonObjectWriter w, Map<?, ?> m) {
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String k = (String) e.getKey();
      if (k.length() > 1) {
        char[] padded = ("##" + k + "#").toCharArray();
        w.key(padded, 2, k.length());
      } else {
        w.key(k);
      }
      write(w, e.getValue());
    }
  }

  private static void write(JsonObjectWriter w, Object v) {
    if (v instanceof Map<?, ?> m) {
      w.beginObject();
      entries(w, m);
      w.endObject();
    } else if (v instanceof List<?> l) {
      w.beginArray();
      for (Object o : l) {
        write(w, o);
      }
      w.endArray();
    } else if (v == null) {
      w.nullValue();
    } else if (v instanceof String s) {
      if (s.length() > 2) {
        char[] c = ("x" + s).toCharArray();
        w.value(c, 1, s.length());
      } else {
        w.value(s);
      }
    } else if (v instanceof Boolean b) {
      w.value(b);
    } else if (v instanceof Double d) {
      w.value(d);
    } else if (v instanceof Number n && !(v instanceof java.math.BigInteger)) {
      w.value(n.longValue());
    } else {
      w.value(((Number) v).doubleValue());
    }
  }
}
