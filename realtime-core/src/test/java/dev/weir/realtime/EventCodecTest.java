package dev.weir.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.sdk.Event;
import dev.weir.sdk.Plan;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventCodecTest {
  private static byte[] viaMap(Event e) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    ValueCodec.write(new DataOutputStream(b), e.toMap());
    return b.toByteArray();
  }

  private static byte[] direct(Event e) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    EventCodec.write(new DataOutputStream(b), e);
    return b.toByteArray();
  }

  @Test
  void directEncodingIsByteForByteTheEncodingOfTheCanonicalMap() throws Exception {
    List<Event> events = new java.util.ArrayList<>(ChunkTest.varied(300, 9));
    Event full =
        Event.builder()
            .eventType("t")
            .userId("u")
            .deviceId("d")
            .time(1L)
            .insertId("i")
            .sessionId(2L)
            .eventId(3L)
            .eventProperties(Map.of("a", List.of(1, Map.of("b", true))))
            .userProperties(Map.of("$set", Map.of("x", 1.5)))
            .groups(Map.of("org", "acme"))
            .groupProperties(Map.of("size", 10L))
            .appVersion("1")
            .platform("p")
            .osName("o")
            .osVersion("v")
            .deviceBrand("b")
            .deviceManufacturer("m")
            .deviceModel("mo")
            .carrier("c")
            .country("DE")
            .region("r")
            .city("ci")
            .dma("dm")
            .language("de")
            .locationLat(1.0)
            .locationLng(2.0)
            .ip("1.2.3.4")
            .idfa("a")
            .idfv("v")
            .adid("ad")
            .androidId("an")
            .userAgent("ua")
            .library("lib")
            .price(1.5)
            .quantity(2)
            .revenue(3.0)
            .productId("pi")
            .revenueType("rt")
            .currency("EUR")
            .sourceId("s")
            .uploadTime(5L)
            .build();
    events.add(full);
    for (Event e : events) {
      assertThat(direct(e)).isEqualTo(viaMap(e));
    }
    assertThat(Event.FIELD_NAMES).hasSize(43);
    Event planned = full.toBuilder().plan(new Plan("main", null, "1", null)).build();
    assertThat(direct(planned)).isEqualTo(viaMap(planned));
  }
}
