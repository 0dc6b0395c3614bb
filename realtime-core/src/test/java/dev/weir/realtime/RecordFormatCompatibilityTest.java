package dev.weir.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.sdk.Event;
import dev.weir.testkit.Events;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Write-ahead files written by earlier versions, whose records are an event's canonical map in
 * {@link ValueCodec} form (the first record format), are still recovered, read, queried and
 * deduplicated; a record of a format this version does not know is refused by name of its file, and
 * its neighbours survive.
 */
class RecordFormatCompatibilityTest {
  private static final long T0 = TestEvents.T0;

  @TempDir Path dir;

  @Test
  void writeAheadFilesOfTheFirstRecordFormatAreRecoveredReadQueriedAndDeduplicated()
      throws Exception {
    StoreOptions opts =
        TestEvents.options(dir)
            .partitions(2)
            .cachedBlocksPerPartition(2)
            .blocksPerChunk(10_000)
            .build();
    Random r = new Random(13);
    List<Event> sent = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      sent.add(
          Events.random(r).toBuilder()
              .insertId("ins-" + i)
              .sourceId("src")
              .time(T0 + i * 60_000L)
              .uploadTime(T0 + i * 60_000L) // blocks fill and get evicted to their files
              .build());
    }
    try (RealtimeStore s = RealtimeStore.open(opts)) {
      for (int i = 0; i < sent.size(); i += 30) {
        assertThat(s.append(sent.subList(i, i + 30)))
            .allMatch(a -> a.status() == AppendResult.Status.STORED);
      }
      assertThat(s.stats().evictedBlocks()).as("some blocks are only in files").isPositive();
    }
    int rewritten = rewriteInFirstFormat(dir);
    assertThat(rewritten).isEqualTo(sent.size());

    List<String> problems = new ArrayList<>();
    try (RealtimeStore s =
        RealtimeStore.open(opts.toBuilder().recoveryListener(problems::add).build())) {
      assertThat(problems).isEmpty();
      TestEvents.assertEqualFieldByField(sent, readAll(s));
      SegmentationResult all =
          s.segmentation(
              new SegmentationQuery(
                  null,
                  List.of(),
                  T0,
                  T0 + sent.size() * 60_000L,
                  SegmentationQuery.Bucket.DAY,
                  SegmentationQuery.Metric.COUNT,
                  null));
      assertThat(all.totals().get("")).as("queries read the old records").isEqualTo(300.0);
      // the old records' dedup keys are known again: sending them once more stores nothing
      assertThat(s.append(sent.subList(0, 30)))
          .allMatch(a -> a.status() == AppendResult.Status.DUPLICATE);
      // new records (the current format) join the same files, after the old ones
      Event extra = sent.get(299).toBuilder().insertId("new").build();
      assertThat(s.append(List.of(extra)).get(0).status()).isEqualTo(AppendResult.Status.STORED);
    }
    try (RealtimeStore s = RealtimeStore.open(opts)) {
      List<Event> expected = new ArrayList<>(sent);
      expected.add(sent.get(299).toBuilder().insertId("new").build());
      TestEvents.assertEqualFieldByField(expected, readAll(s));
    }
  }

  @Test
  void aRecordOfAnUnknownFormatIsReportedWithItsFileAndItsNeighboursSurvive() throws Exception {
    StoreOptions opts = TestEvents.options(dir).partitions(1).build();
    try (RealtimeStore s = RealtimeStore.open(opts)) {
      s.append(List.of(TestEvents.event("u", "a", T0)));
      s.append(List.of(TestEvents.event("u", "b", T0)));
      s.append(List.of(TestEvents.event("u", "c", T0)));
    }
    Path wal = walFiles(dir).get(0);
    List<byte[]> payloads = new ArrayList<>();
    List<Long> seqs = new ArrayList<>();
    readRecords(Files.readAllBytes(wal), seqs, payloads);
    payloads.set(1, new byte[] {0x42, 1, 2, 3}); // a format no version wrote, with a valid CRC
    Files.write(wal, frame(seqs, payloads));

    List<String> problems = new ArrayList<>();
    try (RealtimeStore s =
        RealtimeStore.open(opts.toBuilder().recoveryListener(problems::add).build())) {
      List<String> ids = new ArrayList<>();
      for (StoredEvent e : s.read(0, 0, 100)) {
        ids.add(e.event().insertId());
      }
      assertThat(ids).containsExactly("a", "c");
      assertThat(problems)
          .singleElement()
          .satisfies(
              p ->
                  assertThat(p)
                      .contains(wal.getFileName().toString())
                      .contains("undecodable record")
                      .contains("format byte 66"));
    }
  }

  // ------------------------------------------------------------------ helpers

  /** Rewrites every write-ahead file under {@code root} with its records in the first format. */
  private static int rewriteInFirstFormat(Path root) throws Exception {
    int n = 0;
    for (Path wal : walFiles(root)) {
      List<Long> seqs = new ArrayList<>();
      List<byte[]> payloads = new ArrayList<>();
      readRecords(Files.readAllBytes(wal), seqs, payloads);
      for (int i = 0; i < payloads.size(); i++) {
        byte[] now = payloads.get(i);
        assertThat(now[0] & 0xFF).as("the current format's first byte").isEqualTo(0xE1);
        Event e = Event.fromRecord(now, 0, now.length);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        EventCodec.write(new DataOutputStream(b), e); // exactly what earlier versions wrote
        byte[] old = b.toByteArray();
        assertThat(old[0]).as("the first format's first byte (a map)").isEqualTo((byte) 7);
        payloads.set(i, old);
        n++;
      }
      Files.write(wal, frame(seqs, payloads));
    }
    return n;
  }

  private static List<Path> walFiles(Path root) throws Exception {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(f -> f.toString().endsWith(".wal")).sorted().toList();
    }
  }

  /** Splits a write-ahead file into its records ({@code [len][crc][seq][payload]}). */
  private static void readRecords(byte[] data, List<Long> seqs, List<byte[]> payloads) {
    ByteBuffer b = ByteBuffer.wrap(data);
    while (b.remaining() > 0) {
      int len = b.getInt();
      b.getInt();
      seqs.add(b.getLong());
      byte[] p = new byte[len - 8];
      b.get(p);
      payloads.add(p);
    }
  }

  private static byte[] frame(List<Long> seqs, List<byte[]> payloads) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < payloads.size(); i++) {
      byte[] p = payloads.get(i);
      ByteBuffer rec = ByteBuffer.allocate(16 + p.length);
      CRC32C crc = new CRC32C();
      byte[] seq = ByteBuffer.allocate(8).putLong(seqs.get(i)).array();
      crc.update(seq);
      crc.update(p);
      rec.putInt(8 + p.length).putInt((int) crc.getValue()).put(seq).put(p);
      out.writeBytes(rec.array());
    }
    return out.toByteArray();
  }

  private static List<Event> readAll(RealtimeStore s) throws Exception {
    List<Event> out = new ArrayList<>();
    for (int p = 0; p < s.partitionCount(); p++) {
      for (StoredEvent e : s.read(p, 0, 1_000_000)) {
        out.add(e.event());
      }
    }
    return out;
  }
}
