package dev.weir.realtime;

import static dev.weir.realtime.TestEvents.MIN;
import static dev.weir.realtime.TestEvents.T0;
import static dev.weir.realtime.TestEvents.options;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.sdk.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkTest {
  @TempDir Path dir;

  /**
   * 20 blocks' worth of varied events in one partition: with 3 cached and 4 per chunk, chunks get
   * made.
   */
  static List<Event> varied(int n, long seed) {
    Random rnd = new Random(seed);
    List<Event> out = new ArrayList<>();
    String[] types = {"view", "add_to_cart", "checkout", "purchase"};
    for (int i = 0; i < n; i++) {
      long upload = T0 + (long) i * 100 * MIN / n;
      Map<String, Object> props = new LinkedHashMap<>();
      props.put("price", rnd.nextInt(100));
      if (rnd.nextBoolean()) {
        props.put("plan", rnd.nextBoolean() ? "pro" : "free");
      }
      if (rnd.nextInt(5) == 0) {
        props.put("tags", List.of("a", rnd.nextInt(3)));
      }
      props.put("score", rnd.nextDouble());
      Event.Builder b =
          Event.builder()
              .eventType(types[rnd.nextInt(types.length)])
              .userId("user" + rnd.nextInt(50))
              .insertId("id" + i)
              .sourceId("src")
              .uploadTime(upload)
              .time(upload - rnd.nextInt(60_000))
              .eventProperties(props)
              .userProperties(Map.of("tier", rnd.nextInt(3)))
              .sessionId((long) rnd.nextInt(1000))
              .revenue(rnd.nextBoolean() ? rnd.nextDouble() * 10 : null);
      if (rnd.nextInt(10) == 0) {
        b.userId(null).deviceId("device" + rnd.nextInt(10));
      }
      if (rnd.nextInt(7) == 0) {
        b.country("DE").platform("ios");
      }
      out.add(b.build());
    }
    return out;
  }

  private static List<StoredEvent> readAll(RealtimeStore s) throws Exception {
    List<StoredEvent> all = new ArrayList<>();
    for (int p = 0; p < s.partitionCount(); p++) {
      all.addAll(s.read(p, 0, 1_000_000));
    }
    return all;
  }

  @Test
  void chunkColumnsEqualTheColumnsOfTheBlocksTheyCameFrom() throws Exception {
    List<Event> events = varied(600, 1);
    StoreOptions opts = options(dir).partitions(1).blocksPerChunk(100).build();
    List<StoredEvent> before;
    try (RealtimeStore s = RealtimeStore.open(opts)) {
      for (int i = 0; i < events.size(); i += 50) {
        s.append(events.subList(i, i + 50));
      }
      before = readAll(s);
      assertThat(s.stats().evictedBlocks()).isGreaterThanOrEqualTo(4);
      assertThat(s.chunks()).isEmpty();
    }
    // reopen with 4 blocks per chunk: the next append merges the evicted blocks
    try (RealtimeStore s = RealtimeStore.open(opts.toBuilder().blocksPerChunk(4).build())) {
      Partition p = s.partition(0);
      List<Partition.Evicted> sources = new ArrayList<>(p.evicted.subList(0, 4));
      List<Long> srcSeqs = new ArrayList<>();
      List<Event> srcEvents = new ArrayList<>();
      List<long[]> order = new ArrayList<>();
      for (Partition.Evicted ev : sources) {
        WalFile.Replay r = WalFile.replay(p.fs, ev.path(), false, x -> {});
        for (int i = 0; i < r.events().size(); i++) {
          order.add(new long[] {r.sequences().get(i), srcEvents.size()});
          srcEvents.add(r.events().get(i));
        }
      }
      order.sort((a, b) -> Long.compare(a[0], b[0]));
      List<Event> sorted = new ArrayList<>();
      for (long[] o : order) {
        srcSeqs.add(o[0]);
        sorted.add(srcEvents.get((int) o[1]));
      }
      Chunker.maybeChunk(p, s.currentBatch());
      assertThat(s.chunks()).isNotEmpty();
      ChunkInfo info = s.chunks().get(0);
      assertThat(info.rows()).isEqualTo(sorted.size());
      assertThat(info.minSequence()).isEqualTo(srcSeqs.get(0));
      assertThat(info.maxSequence()).isEqualTo(srcSeqs.get(srcSeqs.size() - 1));
      Map<String, Object[]> expected = ChunkFile.columns(srcSeqs, sorted);
      try (ChunkFile.Reader r = new ChunkFile.Reader(p.fs, p.chunkPath(info.id()))) {
        assertThat(r.meta.columns())
            .extracting(ChunkFile.Column::name)
            .containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Map.Entry<String, Object[]> col : expected.entrySet()) {
          assertThat(r.column(col.getKey()))
              .as("column " + col.getKey())
              .containsExactly(col.getValue());
        }
        assertThat(r.meta.columns())
            .filteredOn(c -> c.name().equals("event_type"))
            .extracting(ChunkFile.Column::kind)
            .containsExactly(ColumnCodec.DICT);
        assertThat(r.meta.columns())
            .filteredOn(c -> c.name().equals("_seq"))
            .extracting(ChunkFile.Column::kind)
            .containsExactly(ColumnCodec.LONG);
      }
      List<Event> fromChunk = new ArrayList<>();
      for (Iterator<Event> it = s.readChunk(info.id()); it.hasNext(); ) {
        fromChunk.add(it.next());
      }
      assertThat(fromChunk).containsExactlyElementsOf(sorted);
      assertThat(readAll(s)).containsExactlyElementsOf(before);
    }
  }

  @Test
  void queriesGiveTheSameAnswersBeforeAndAfterChunking() throws Exception {
    List<Event> events = varied(800, 2);
    SegmentationQuery counts =
        new SegmentationQuery(
            "purchase",
            List.of(Filter.gt("event_properties.price", 20)),
            T0 - MIN,
            T0 + 200 * MIN,
            SegmentationQuery.Bucket.HOUR,
            SegmentationQuery.Metric.COUNT,
            "event_properties.plan");
    SegmentationQuery uniques =
        new SegmentationQuery(
            null,
            List.of(Filter.exists("event_properties.tags")),
            T0 - MIN,
            T0 + 200 * MIN,
            SegmentationQuery.Bucket.DAY,
            SegmentationQuery.Metric.UNIQUES,
            null);
    FunnelQuery funnel =
        new FunnelQuery(
            List.of(
                new FunnelQuery.Step("view", List.of()),
                new FunnelQuery.Step("add_to_cart", List.of()),
                new FunnelQuery.Step(
                    "purchase", List.of(Filter.in("user_properties.tier", List.of(1, 2))))),
            T0 - MIN,
            T0 + 60 * MIN,
            30 * MIN);
    AudienceQuery audience =
        new AudienceQuery("checkout", List.of(Filter.ne("country", "DE")), T0 - MIN, T0 + 50 * MIN);
    StoreOptions memOnly = options(dir).partitions(2).cachedBlocksPerPartition(100).build();
    SegmentationResult c1;
    SegmentationResult u1;
    FunnelResult f1;
    java.util.Set<String> a1;
    try (RealtimeStore s = RealtimeStore.open(memOnly)) {
      s.append(events);
      assertThat(s.stats().evictedBlocks()).isZero();
      c1 = s.segmentation(counts);
      u1 = s.segmentation(uniques);
      f1 = s.funnel(funnel);
      a1 = s.audience(audience);
    }
    assertThat(c1.series()).isNotEmpty();
    assertThat(f1.usersPerStep().get(0)).isPositive();
    assertThat(a1).isNotEmpty();
    Path other = dir.resolve("chunked");
    try (RealtimeStore s =
        RealtimeStore.open(options(other).partitions(2).blocksPerChunk(2).build())) {
      for (int i = 0; i < events.size(); i += 40) {
        s.append(events.subList(i, i + 40));
      }
      assertThat(s.chunks()).hasSizeGreaterThanOrEqualTo(3);
      assertThat(s.segmentation(counts)).isEqualTo(c1);
      assertThat(s.segmentation(uniques)).isEqualTo(u1);
      assertThat(s.funnel(funnel)).isEqualTo(f1);
      assertThat(s.audience(audience)).isEqualTo(a1);
    }
  }

  @Test
  void crashBetweenChunkRenameAndBlockFileDeletionCountsEveryEventOnce() throws Exception {
    List<Event> events = varied(400, 3);
    StoreOptions opts = options(dir).partitions(1).blocksPerChunk(100).build();
    List<StoredEvent> before;
    try (RealtimeStore s = RealtimeStore.open(opts)) {
      s.append(events);
      before = readAll(s);
    }
    Path evicted = dir.resolve("p0").resolve("evicted");
    Path copies = dir.resolve("copies");
    Files.createDirectories(copies);
    try (Stream<Path> files = Files.list(evicted)) {
      for (Path f : files.toList()) {
        Files.copy(f, copies.resolve(f.getFileName()));
      }
    }
    try (RealtimeStore s = RealtimeStore.open(opts.toBuilder().blocksPerChunk(2).build())) {
      Chunker.maybeChunk(s.partition(0), 0);
      assertThat(s.chunks()).isNotEmpty();
    }
    // simulate the crash: the block files come back as if their deletion never happened, plus a
    // stray temp chunk
    try (Stream<Path> files = Files.list(copies)) {
      for (Path f : files.toList()) {
        Files.copy(
            f, evicted.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.write(
        dir.resolve("p0").resolve("chunks").resolve("p0-999.chunk.tmp"), new byte[] {1, 2, 3});
    try (RealtimeStore s = RealtimeStore.open(opts)) {
      assertThat(readAll(s)).containsExactlyElementsOf(before);
      assertThat(s.recoveryReport().problems())
          .anySatisfy(p -> assertThat(p).contains("already merged"));
      assertThat(s.recoveryReport().problems())
          .anySatisfy(p -> assertThat(p).contains("unfinished chunk"));
    }
  }

  @Test
  void cleanupDeletesOnlyChunksPastTheLagThatNoReaderStillNeeds() throws Exception {
    try (RealtimeStore s =
        RealtimeStore.open(options(dir).partitions(1).blocksPerChunk(2).batchLag(2).build())) {
      List<Event> events = varied(300, 4);
      s.append(events.subList(0, 150));
      assertThat(s.problems()).isEmpty();
      assertThat(s.chunks()).isNotEmpty();
      List<String> batchZero = s.chunks().stream().map(ChunkInfo::id).toList();
      CleanupReport early = s.cleanup();
      assertThat(early.deleted()).isEmpty();
      assertThat(early.kept()).containsKeys(batchZero.toArray(new String[0]));
      assertThat(early.kept().values())
          .allSatisfy(v -> assertThat(v).contains("not yet handed off"));
      s.advanceBatch();
      s.append(events.subList(150, 300));
      assertThat(s.chunks()).extracting(ChunkInfo::batch).contains(0L, 1L);
      assertThat(s.cleanup().deleted()).isEmpty();
      s.advanceBatch();
      ReaderHandle reader = s.registerReader("webhook");
      CleanupReport pinned = s.cleanup();
      assertThat(pinned.deleted()).isEmpty();
      assertThat(pinned.kept().get(batchZero.get(0))).contains("reader 'webhook'");
      reader.advance(0, s.nextSequence(0));
      long nextSeq = s.nextSequence(0);
      CleanupReport done = s.cleanup();
      assertThat(done.deleted()).containsExactlyInAnyOrderElementsOf(batchZero);
      assertThat(done.kept())
          .isNotEmpty()
          .allSatisfy((id, why) -> assertThat(why).contains("batch 1"));
      assertThat(s.chunks()).extracting(ChunkInfo::batch).containsOnly(1L);
      assertThat(s.currentBatch()).isEqualTo(2);
      assertThat(s.nextSequence(0)).isEqualTo(nextSeq);
    }
    try (RealtimeStore s = RealtimeStore.open(options(dir).partitions(1).build())) {
      assertThat(s.currentBatch()).isEqualTo(2);
      assertThat(s.chunks()).extracting(ChunkInfo::batch).containsOnly(1L);
    }
  }

  @Test
  void everyCompressionRoundTripsTheSameRowsAndDetectsACorruptColumn() throws Exception {
    List<Event> events = varied(200, 5);
    List<Long> seqs = new ArrayList<>();
    for (long i = 0; i < events.size(); i++) {
      seqs.add(i * 3);
    }
    for (StoreOptions.Compression c : StoreOptions.Compression.values()) {
      Path file = dir.resolve("c-" + c + ".chunk");
      ChunkFile.write(StoreFileSystem.DEFAULT, file, "x", 0, 7, seqs, events, List.of("b1"), c);
      try (ChunkFile.Reader r = new ChunkFile.Reader(StoreFileSystem.DEFAULT, file)) {
        assertThat(r.meta.batch()).isEqualTo(7);
        assertThat(r.meta.compression()).isEqualTo(c.name());
        assertThat(r.events()).containsExactlyElementsOf(events);
        assertThat(r.sequences())
            .containsExactly(seqs.stream().mapToLong(Long::longValue).toArray());
      }
      byte[] bytes = Files.readAllBytes(file);
      bytes[ChunkFile.MAGIC.length + 3] ^= 0x7f; // inside the first column blob
      Files.write(file, bytes);
      try (ChunkFile.Reader r = new ChunkFile.Reader(StoreFileSystem.DEFAULT, file)) {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> r.column(r.meta.columns().get(0).name()))
            .hasMessageContaining("checksum mismatch");
      }
    }
  }

  @Test
  void aCursorPagingThroughBlocksFilesAndChunksSeesEveryEventOnceInOrder() throws Exception {
    try (RealtimeStore s =
        RealtimeStore.open(options(dir).partitions(2).blocksPerChunk(2).build())) {
      List<Event> events = varied(500, 6);
      for (int i = 0; i < events.size(); i += 25) {
        s.append(events.subList(i, i + 25));
      }
      assertThat(s.chunks()).isNotEmpty();
      assertThat(s.stats().blocksInMemory()).isPositive();
      List<String> paged = new ArrayList<>();
      for (int p = 0; p < s.partitionCount(); p++) {
        long cursor = 0;
        while (true) {
          List<StoredEvent> page = s.read(p, cursor, 7);
          if (page.isEmpty()) {
            break;
          }
          for (StoredEvent e : page) {
            assertThat(e.sequence()).isGreaterThanOrEqualTo(cursor);
            cursor = e.sequence() + 1;
            paged.add(e.event().insertId());
          }
        }
        assertThat(cursor).isEqualTo(s.nextSequence(p));
      }
      assertThat(paged).hasSize(500).doesNotHaveDuplicates();
    }
  }
}
