package dev.weir.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.sdk.Event;
import dev.weir.sdk.Plan;
import dev.weir.sdk.Violation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Weir writes as a dead letter it can read back, unchanged, for every reason it writes one and
 * for every value an {@link Event} can hold, including values the event model refuses on input
 * (non-finite numbers, lone surrogates), so each can be listed and redelivered.
 */
class DeadLetterRoundTripTest {
  @TempDir Path dir;

  static List<Event> hostileEvents() {
    List<Event> out = new ArrayList<>();
    Event.Builder base = Event.builder().eventType("e").userId("u").time(1_700_000_000_000L);
    out.add(base.build().toBuilder().insertId("nan-lat").locationLat(Double.NaN).build());
    out.add(
        base.build().toBuilder()
            .insertId("inf")
            .locationLng(Double.POSITIVE_INFINITY)
            .price(Double.NEGATIVE_INFINITY)
            .revenue(Double.NaN)
            .build());
    out.add(
        base.build().toBuilder()
            .insertId("surrogates")
            .userId("lone \uD800 high")
            .city("\uDC00 lone low")
            .eventProperties(Map.of("v", "lone \uDE00 low", "emoji", "\uD83D\uDE00"))
            .build());
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("nan", Double.NaN);
    props.put("big", new java.math.BigInteger("123456789012345678901234567890"));
    props.put("min", Long.MIN_VALUE);
    props.put("nul", null);
    props.put("ctl", "\u0000\u001f\u2028\u2029\"\\");
    Map<String, Object> deep = new LinkedHashMap<>();
    Map<String, Object> cur = deep;
    for (int i = 0; i < 50; i++) {
      Map<String, Object> next = new LinkedHashMap<>();
      cur.put("d", next);
      cur = next;
    }
    props.put("deep", deep);
    out.add(
        base.build().toBuilder()
            .insertId("values")
            .eventProperties(props)
            .userProperties(Map.of("list", List.of(1, 2.5, "x", List.of(), Map.of())))
            .build());
    out.add(
        base.build().toBuilder()
            .insertId("governed")
            .plan(new Plan("main", "web", "3", null))
            .addViolation(new Violation("unplanned_property", "event_properties.x", "not in plan"))
            .uploadTime(5L)
            .sourceId("web")
            .quantity(Integer.MIN_VALUE)
            .sessionId(Long.MAX_VALUE)
            .build());
    out.add(Event.builder().build()); // nothing at all
    // a lone surrogate in a property NAME: JSON readers refuse it, so the store writes U+FFFD there
    out.add(
        base.build().toBuilder().insertId("bad-key").eventProperties(Map.of("k\uD83D", 1)).build());
    return out;
  }

  @Test
  void everyDeadLetterWeirWritesIsListedBackUnchanged() {
    DeadLetterStore store = new DeadLetterStore(dir);
    List<String> reasons =
        List.of("rejected", "max_attempts", "max_age", "expired", "mapping_failed");
    List<DeadLetter> written = new ArrayList<>();
    int n = 0;
    for (String reason : reasons) {
      for (Event e : hostileEvents()) {
        written.add(
            new DeadLetter(
                "dl-" + n++,
                "hook",
                reason,
                "permanent",
                1,
                n,
                e,
                3,
                10,
                20,
                400,
                "response with \uD800 and NaN",
                30));
      }
    }
    store.append("hook", written);
    List<DeadLetter> read = new DeadLetterStore(dir).list("hook", null);
    assertThat(read).hasSize(written.size());
    for (int i = 0; i < written.size(); i++) {
      DeadLetter w = written.get(i);
      DeadLetter r = read.get(i);
      assertThat(r.id()).isEqualTo(w.id());
      assertThat(r.reason()).isEqualTo(w.reason());
      assertThat(r.response()).isEqualTo(w.response());
      String expected = w.event().toString().replace("k\uD83D", "k\uFFFD");
      assertThat(r.event().toString()).as(w.id()).isEqualTo(expected);
      assertThat(r.event().locationLat()).isEqualTo(w.event().locationLat());
    }
    for (String reason : reasons) {
      assertThat(store.list("hook", reason)).hasSize(hostileEvents().size());
    }
    // and they can be removed (after a redelivery) by id
    store.remove("hook", Set.of("dl-0", "dl-1"));
    assertThat(store.list("hook", null)).hasSize(written.size() - 2);
  }

  @Test
  void deadLettersOlderVersionsWroteWithNumbersAsStringsAreReadableToo() throws Exception {
    // What Weir wrote before: Jackson's default turned a NaN location_lat into the string "NaN",
    // which the event model refused on the way back, so such letters were never listed.
    String old =
        "{\"id\":\"old-1\",\"destination\":\"hook\",\"reason\":\"rejected\","
            + "\"classification\":\"permanent\",\"partition\":0,\"sequence\":7,\"attempts\":1,"
            + "\"event\":{\"event_type\":\"e\",\"location_lat\":\"NaN\",\"price\":\"-Infinity\"}}\n";
    java.nio.file.Files.writeString(dir.resolve("hook.ndjson"), old);
    List<DeadLetter> read = new DeadLetterStore(dir).list("hook", null);
    assertThat(read).hasSize(1);
    assertThat(read.get(0).event().locationLat()).isNaN();
    assertThat(read.get(0).event().price()).isEqualTo(Double.NEGATIVE_INFINITY);
  }
}
