package dev.weir.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.sdk.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builders for test events and options. */
final class TestEvents {
  static final long T0 = 1_700_000_000_000L - (1_700_000_000_000L % 300_000L);
  static final long MIN = 60_000L;

  private TestEvents() {}

  static Event event(String user, String insertId, long uploadTime) {
    return Event.builder()
        .eventType("view")
        .userId(user)
        .insertId(insertId)
        .sourceId("src")
        .uploadTime(uploadTime)
        .time(uploadTime)
        .build();
  }

  static Event event(
      String user, String insertId, long uploadTime, String type, Map<String, ?> props) {
    return Event.builder()
        .eventType(type)
        .userId(user)
        .insertId(insertId)
        .sourceId("src")
        .uploadTime(uploadTime)
        .time(uploadTime)
        .eventProperties(props)
        .platform(user.hashCode() % 2 == 0 ? "ios" : "web")
        .build();
  }

  static StoreOptions.Builder options(Path dir) {
    return StoreOptions.builder(dir)
        .partitions(2)
        .fsyncPolicy(StoreOptions.FsyncPolicy.NONE)
        .cleanupInterval(Duration.ZERO);
  }

  /** Every event of {@code sent} is in {@code read} (by insert id), equal field by field. */
  static void assertEqualFieldByField(List<Event> sent, List<Event> read) {
    Map<String, Event> byId = new HashMap<>();
    for (Event e : read) {
      byId.put(e.insertId(), e);
    }
    assertThat(byId).hasSameSizeAs(sent);
    for (Event e : sent) {
      Event back = byId.get(e.insertId());
      for (Event.Field f : Event.Field.values()) {
        assertThat(back.get(f)).as(e.insertId() + " " + f.jsonName()).isEqualTo(e.get(f));
      }
      assertThat(back).isEqualTo(e);
    }
  }
}
