package dev.weir.realtime;

import static dev.weir.realtime.TestEvents.options;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.realtime.SegmentationQuery.Bucket;
import dev.weir.realtime.SegmentationQuery.Metric;
import dev.weir.sdk.Event;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chunk format across versions: format 3 keeps properties whose value is null; chunks written
 * by earlier builds in formats 1 and 2 (kept as test resources, written by those builds from {@link
 * #fixtureEvents}) stay readable and answer queries like the same events in memory.
 */
class ChunkFormatTest {
  private static final long FROM = 1_700_000_000_000L - 3_600_000L;
  private static final long TO = FROM + 4 * 3_600_000L;

  @TempDir Path dir;

  /** The events the fixture chunks {@code chunks/format1.chunk} and {@code format2.chunk} hold. */
  static List<Event> fixtureEvents() {
    List<Event> out = new ArrayList<>();
    String[] types = {"view", "purchase", "signup"};
    for (int i = 0; i < 40; i++) {
      Map<String, Object> props = new LinkedHashMap<>();
      props.put("price", i * 7 % 50);
      props.put("plan", i % 4 == 0 ? null : (i % 2 == 0 ? "pro" : "free"));
      props.put("score", i / 8.0);
      if (i % 5 == 0) {
        props.put("tags", List.of("a", i));
      }
      if (i % 3 == 0) {
        props.put("gone", null);
      }
      Map<String, Object> user = new LinkedHashMap<>();
      user.put("tier", i % 3);
      user.put("referrer", i % 2 == 0 ? null : "ad");
      long t = 1_700_000_000_000L + i * 60_000L;
      out.add(
          Event.builder()
              .eventType(types[i % 3])
              .userId(i % 7 == 0 ? null : "user" + (i % 6))
              .deviceId("device" + (i % 4))
              .insertId("fx" + i)
              .sourceId("src")
              .uploadTime(t + 500)
              .time(t)
              .platform(i % 2 == 0 ? "ios" : "web")
              .eventProperties(props)
              .userProperties(user)
              .build());
    }
    return out;
  }

  /** What formats 1 and 2 kept of an event: every property whose value is not null. */
  private static Event withoutNullProperties(Event e) {
    return e.toBuilder()
        .eventProperties(nonNull(e.eventProperties()))
        .userProperties(nonNull(e.userProperties()))
        .build();
  }

  private static Map<String, Object> nonNull(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach(
        (k, v) -> {
          if (v != null) {
            out.put(k, v);
          }
        });
    return out;
  }

  private static List<Long> seqs(int n) {
    List<Long> s = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      s.add(100 + i);
    }
    return s;
  }

  @Test
  void aChunkKeepsPropertiesWhoseValueIsNull() throws Exception {
    List<Event> events = fixtureEvents();
    Path file = dir.resolve("x.chunk");
    ChunkFile.write(
        StoreFileSystem.DEFAULT,
        file,
        "x",
        0,
        1,
        seqs(events.size()),
        events,
        List.of("b1"),
        StoreOptions.Compression.ZSTD);
    try (ChunkFile.Reader r = new ChunkFile.Reader(StoreFileSystem.DEFAULT, file)) {
      List<Event> back = r.events();
      assertThat(back.get(0).eventProperties())
          .containsEntry("plan", null)
          .containsEntry("gone", null);
      assertThat(back.get(0).userProperties()).containsEntry("referrer", null);
      assertThat(back).containsExactlyElementsOf(events);
      assertThat(r.meta.format()).isEqualTo(3);
    }
  }

  @Test
  void chunksWrittenInFormatsOneAndTwoStayReadable() throws Exception {
    List<Event> expected =
        fixtureEvents().stream().map(ChunkFormatTest::withoutNullProperties).toList();
    for (int format : new int[] {1, 2}) {
      Path file = fixture(format, dir.resolve("f" + format + ".chunk"));
      try (ChunkFile.Reader r = new ChunkFile.Reader(StoreFileSystem.DEFAULT, file)) {
        assertThat(r.meta.format()).as("format " + format).isEqualTo(format == 1 ? 0 : 2);
        assertThat(r.meta.rows()).isEqualTo(40);
        assertThat(r.sequences()).startsWith(100L, 101L).endsWith(139L);
        assertThat(r.events()).as("format " + format).containsExactlyElementsOf(expected);
      }
    }
  }

  @Test
  void queriesOverChunksOfEveryFormatAnswerLikeTheSameEventsInMemory() throws Exception {
    List<SegmentationQuery> queries =
        List.of(
            new SegmentationQuery(null, List.of(), FROM, TO, Bucket.DAY, Metric.COUNT, "platform"),
            new SegmentationQuery(
                "view",
                List.of(Filter.exists("event_properties.plan")),
                FROM,
                TO,
                Bucket.HOUR,
                Metric.UNIQUES,
                "event_properties.plan"),
            new SegmentationQuery(
                null,
                List.of(
                    Filter.or(
                        List.of(
                            Filter.ne("event_properties.plan", "pro"),
                            Filter.exists("event_properties.gone"),
                            Filter.gt("event_properties.price", 20)))),
                FROM,
                TO,
                Bucket.MINUTE,
                Metric.COUNT,
                "user_properties.referrer"));
    List<SegmentationResult> inMemory = new ArrayList<>();
    try (RealtimeStore s = RealtimeStore.open(options(dir.resolve("mem")).partitions(1).build())) {
      s.append(fixtureEvents());
      for (SegmentationQuery q : queries) {
        inMemory.add(s.segmentation(q));
      }
    }
    for (int format : new int[] {1, 2, 3}) {
      Path store = dir.resolve("store" + format);
      Path chunk = store.resolve("p0").resolve("chunks").resolve("p0-100.chunk");
      Files.createDirectories(chunk.getParent());
      if (format == 3) {
        List<Event> ev = fixtureEvents();
        ChunkFile.write(
            StoreFileSystem.DEFAULT,
            chunk,
            "p0-100",
            0,
            3,
            seqs(ev.size()),
            ev,
            List.of("b1"),
            StoreOptions.Compression.ZSTD);
      } else {
        fixture(format, chunk);
      }
      try (RealtimeStore s = RealtimeStore.open(options(store).partitions(1).build())) {
        assertThat(s.chunks()).extracting(ChunkInfo::rows).containsExactly(40);
        for (int i = 0; i < queries.size(); i++) {
          assertThat(s.segmentation(queries.get(i)))
              .as("format " + format + ", query " + i)
              .isEqualTo(inMemory.get(i));
        }
      }
    }
  }

  private static Path fixture(int format, Path to) throws Exception {
    try (InputStream in =
        ChunkFormatTest.class.getResourceAsStream("/chunks/format" + format + ".chunk")) {
      Files.copy(in, to);
    }
    return to;
  }
}
