package dev.weir.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Events written straight into their records ({@link RecordWriter}) are the events a builder makes,
 * and stamping a record-backed event splices its record.
 */
class RecordWriterTest {
  private static Map<String, Object> props() {
    JsonObjectWriter w = new JsonObjectWriter();
    w.beginObject();
    w.key("item").value("sku-\u00e9\uD83D\uDE00");
    w.key("tags").beginArray().value("a").value(1L).endArray();
    return w.endObject().take();
  }

  private static Event written(RecordWriter w) {
    return w.string(Event.Field.EVENT_TYPE, "Viewed \uD83D\uDE00")
        .string(Event.Field.USER_ID, "user-1")
        .string(Event.Field.DEVICE_ID, null)
        .whole(Event.Field.TIME, 1_700_000_000_000L)
        .object(Event.Field.EVENT_PROPERTIES, props())
        .object(Event.Field.USER_PROPERTIES, Map.of())
        .object(Event.Field.GROUPS, Map.of("org", List.of("a", "b")))
        .string(Event.Field.PLATFORM, "lone \uD800 surrogate")
        .number(Event.Field.LOCATION_LAT, -0.0)
        .whole(Event.Field.QUANTITY, -3)
        .number(Event.Field.REVENUE, 1e300)
        .plan(new Plan("main", null, "2", null))
        .whole(Event.Field.UPLOAD_TIME, 1_700_000_100_000L)
        .build();
  }

  private static Event built() {
    return Event.builder()
        .eventType("Viewed \uD83D\uDE00")
        .userId("user-1")
        .time(1_700_000_000_000L)
        .eventProperties(props())
        .groups(Map.of("org", List.of("a", "b")))
        .platform("lone \uD800 surrogate")
        .locationLat(-0.0)
        .quantity(-3)
        .revenue(1e300)
        .plan(new Plan("main", null, "2", null))
        .uploadTime(1_700_000_100_000L)
        .build();
  }

  @Test
  void anEventWrittenFieldByFieldIsTheEventTheBuilderMakesWithTheSameRecord() {
    Event e = written(new RecordWriter());

    assertThat(e).isEqualTo(built());
    assertThat(e.hashCode()).isEqualTo(built().hashCode());
    assertThat(e.toRecord()).isEqualTo(built().toRecord());
    assertThat(e.toJson()).isEqualTo(built().toJson());
    assertThat(e.quantity()).isEqualTo(-3);
    assertThat(e.deviceId()).isNull();
    assertThat(e.userProperties()).isEmpty();
  }

  @Test
  void aWriterStartsOverAfterEachEvent() {
    RecordWriter w = new RecordWriter();
    written(w);
    w.string(Event.Field.EVENT_TYPE, "half").string(Event.Field.USER_ID, "dropped");
    w.reset();

    assertThat(written(w)).isEqualTo(built());
  }

  @Test
  void fieldsOutOfOrderOrOfTheWrongKindAreRefused() {
    RecordWriter w = new RecordWriter().string(Event.Field.USER_ID, "u");

    assertThatThrownBy(() -> w.string(Event.Field.EVENT_TYPE, "late"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("event_type written out of order");
    assertThatThrownBy(() -> new RecordWriter().string(Event.Field.TIME, "1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("time is not of kind STRING");
    assertThatThrownBy(() -> new RecordWriter().whole(Event.Field.QUANTITY, 1L << 40))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("out of the int range");
    assertThatThrownBy(() -> new RecordWriter().number(Event.Field.PRICE, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void stampingARecordBackedEventSplicesItsRecordAndEqualsRebuildingIt() {
    Violation v = new Violation("unplanned_event", "event_type", "not in the plan");
    Event withTail =
        built().toBuilder().sourceId("old-source").uploadTime(5L).violations(List.of(v)).build();
    for (Event original : List.of(built(), withTail, Event.builder().eventType("bare").build())) {
      byte[] rec = original.toRecord();
      Event fromRecord = Event.fromRecord(rec, 0, rec.length);
      Event rebuilt = original.toBuilder().sourceId("src-\u00e9").uploadTime(42L).build();

      Event spliced = fromRecord.withSourceAndUploadTime("src-\u00e9", 42L);

      assertThat(spliced).isEqualTo(rebuilt);
      assertThat(spliced.toRecord()).isEqualTo(rebuilt.toRecord());
      assertThat(original.withSourceAndUploadTime("src-\u00e9", 42L)).isEqualTo(rebuilt);
      assertThat(fromRecord.withSourceAndUploadTime(null, 42L).sourceId()).isNull();
      assertThat(fromRecord.withSourceAndUploadTime(null, 42L).uploadTime()).isEqualTo(42L);
    }
  }

  @Test
  void aRecordEventReadFieldByFieldInAnyOrderThenWholeAgreesWithTheBuiltOne() {
    Event built = built();
    for (int start = 0; start < Event.Field.values().length; start += 7) {
      Event e = written(new RecordWriter());
      for (int k = 0; k < 2; k++) { // twice: decoded once, then from the slots (absent ones too)
        for (int j = 0; j < Event.Field.values().length; j++) {
          Event.Field f = Event.Field.values()[(start + j * 5) % Event.Field.values().length];
          assertThat(e.get(f)).as(f.jsonName()).isEqualTo(built.get(f));
          assertThat(e.has(f)).as(f.jsonName()).isEqualTo(built.has(f));
        }
      }
      assertThat(e.toMap()).isEqualTo(built.toMap());
      assertThat(e.toBuilder().build()).isEqualTo(built);
      assertThat(e.toBuilder().deviceId("d-1").build().deviceId()).isEqualTo("d-1");
      assertThat(e.deviceId()).isNull();
    }
    Event fresh = written(new RecordWriter());
    assertThat(fresh.toMap()).isEqualTo(built.toMap());
    assertThat(fresh.sourceId()).isNull();
    assertThat(fresh.eventType()).isEqualTo(built.eventType());
  }
}
