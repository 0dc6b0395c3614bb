package dev.weir.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.sdk.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partition written through stage → apply, with its batches and clock steps kept as a log (what
 * cluster mode writes to the stored topic), is reproduced bit for bit by replaying that log on an
 * empty store, from the start or from the first batch the partition's scope still needs; the copies
 * then make the same dedup decisions on the same further input. Random streams with late events
 * (upload times behind the clock), duplicates within and across batches, events without an insert
 * id, quiet spells with clock steps, across eviction and dedup-window boundaries.
 */
class ReplayFromLogPropertyTest {
  @TempDir Path dir;

  private static final long T0 = TestEvents.T0;
  private static final long BLOCK = 1_000;

  /** One entry of the log: a stored batch, or a clock step. */
  record Step(long clockBefore, long firstSeq, List<byte[]> records, long clockTo) {
    boolean isClock() {
      return records == null;
    }
  }

  private StoreOptions options(Path d, long windowMs) {
    return StoreOptions.builder(d)
        .partitions(1)
        .blockInterval(Duration.ofMillis(BLOCK))
        .cachedBlocksPerPartition(3)
        .dedupWindow(Duration.ofMillis(windowMs))
        .fsyncPolicy(StoreOptions.FsyncPolicy.NONE)
        .cleanupInterval(Duration.ZERO)
        .mergedChunkRows(0)
        .independentPartitions(true)
        .build();
  }

  /** Writes one random stream and replays it at random cut points; seeds are fixed. */
  @Test
  void aReplayOfTheLogReproducesThePartitionAndItsLaterDedupDecisions() throws Exception {
    for (int seed = 0; seed < 12; seed++) {
      long window = seed % 3 == 0 ? 0 : seed % 3 == 1 ? 4 * BLOCK : 40 * BLOCK;
      run(seed, window);
    }
  }

  private void run(int seed, long windowMs) throws Exception {
    Random r = new Random(seed);
    Path base = dir.resolve("s" + seed);
    List<Step> log = new ArrayList<>();
    // first sequence -> index of each logged batch that created a block (the cluster's anchors)
    TreeMap<Long, Integer> anchors = new TreeMap<>();
    Gen gen = new Gen(r);
    try (RealtimeStore a = RealtimeStore.open(options(base.resolve("a"), windowMs))) {
      int steps = 150 + r.nextInt(150);
      int cut = 40 + r.nextInt(steps - 60);
      for (int i = 0; i < steps; i++) {
        if (i == cut) {
          long scope = a.scopeSequence(0);
          Map.Entry<Long, Integer> anchor = anchors.floorEntry(scope);
          int from =
              anchor == null
                  ? (scope == a.partitionStats(0).nextSequence() ? log.size() : 0)
                  : anchor.getValue();
          checkReplay(a, log, 0, base.resolve("full"), windowMs, gen, seed);
          checkReplay(a, log, from, base.resolve("scoped"), windowMs, gen, seed);
        }
        step(a, gen, log, anchors);
      }
    }
  }

  /** One random step on {@code a}, logged. */
  private static void step(RealtimeStore a, Gen gen, List<Step> log, TreeMap<Long, Integer> anchors)
      throws Exception {
    int kind = gen.r.nextInt(10);
    if (kind < 7) {
      List<byte[]> records = gen.batch();
      StagedAppend s = a.stage(0, records);
      if (!s.storedRecords().isEmpty()) {
        log.add(new Step(s.clockBefore(), s.firstSequence(), s.storedRecords(), 0));
        if (s.createsBlock()) {
          anchors.put(s.firstSequence(), log.size() - 1);
        }
      }
      s.apply();
    } else if (kind < 9) {
      gen.now += gen.r.nextInt((int) (3 * BLOCK));
    } else {
      gen.now += gen.r.nextInt((int) (2 * BLOCK));
      log.add(new Step(0, 0, null, gen.now));
      a.followClock(0, gen.now);
    }
  }

  private static void replay(RealtimeStore b, List<Step> log, int from) throws Exception {
    for (Step s : log.subList(from, log.size())) {
      if (s.isClock()) {
        b.followClock(0, s.clockTo());
      } else {
        b.replay(0, s.clockBefore(), s.firstSeq(), s.records());
      }
    }
  }

  /** Replays log[from..] into a fresh store, compares, then feeds both the same continuation. */
  private void checkReplay(
      RealtimeStore a, List<Step> log, int from, Path d, long windowMs, Gen gen, int seed)
      throws Exception {
    try (RealtimeStore b = RealtimeStore.open(options(d, windowMs))) {
      replay(b, log, from);
      PartitionStats sa = a.partitionStats(0);
      b.restoreCounters(0, sa.stored(), sa.duplicates());
      String where = "seed " + seed + ", replay from step " + from + " of " + log.size();
      assertThat(b.fingerprint(0))
          .as(where + "\n" + dump(a) + "\n" + dump(b))
          .isEqualTo(a.fingerprint(0));
      assertThat(b.partitionStats(0)).as(where).isEqualTo(sa);
      assertThat(b.scopeSequence(0))
          .as(where + "\n" + dump(a) + "\n" + dump(b))
          .isEqualTo(a.scopeSequence(0));
      // every key the store promises to find (cached blocks, sealed blocks ending inside the dedup
      // window) is found on both
      java.util.Set<Long> cachedSeqs = new java.util.HashSet<>();
      for (Block blk : a.partition(0).live.values()) {
        for (int i = 0; i < blk.rows().size(); i++) {
          cachedSeqs.add(blk.rows().seq(i));
        }
      }
      long windowStart = a.partition(0).windowStart();
      for (Step st : log) {
        if (st.isClock()) {
          continue;
        }
        for (int i = 0; i < st.records().size(); i++) {
          byte[] rec = st.records().get(i);
          Records.Header h = Records.header(rec, 0, rec.length);
          long blockEnd = Math.floorDiv(h.uploadTime(), BLOCK) * BLOCK + BLOCK - 1;
          boolean promised =
              cachedSeqs.contains(st.firstSeq() + i) || (windowMs > 0 && blockEnd >= windowStart);
          if (h.insertId() == null || !promised) {
            continue;
          }
          assertThat(dupes(a, rec)).as(where + ": " + h.insertId() + " on the original").isOne();
          assertThat(dupes(b, rec)).as(where + ": " + h.insertId() + " on the replay").isOne();
        }
      }
      // the same continuation on a verified copy of a (a itself goes on with the main stream)
      Gen g1 = gen.copy();
      Path ca = d.resolveSibling(d.getFileName() + "-a");
      try (RealtimeStore a2 = RealtimeStore.open(options(ca, windowMs))) {
        replay(a2, log, 0);
        a2.restoreCounters(0, sa.stored(), sa.duplicates());
        assertThat(a2.fingerprint(0)).as(where + ", the copy").isEqualTo(a.fingerprint(0));
        for (int i = 0; i < 40; i++) {
          List<byte[]> batch = g1.continuation();
          StagedAppend x = a2.stage(0, batch);
          StagedAppend y = b.stage(0, batch);
          assertThat(y.results()).as(where + ", continuation " + i).isEqualTo(x.results());
          x.apply();
          y.apply();
          if (g1.r.nextInt(5) == 0) {
            g1.now += g1.r.nextInt((int) BLOCK * 2);
            a2.followClock(0, g1.now);
            b.followClock(0, g1.now);
          }
        }
        assertThat(b.fingerprint(0))
            .as(where + ", after the continuation")
            .isEqualTo(a2.fingerprint(0));
      }
    }
  }

  static String dump(RealtimeStore s) {
    StringBuilder sb = new StringBuilder();
    Partition p = s.partition(0);
    sb.append("next ").append(p.nextSeq).append(" clock ").append(p.clockNanos() / 1_000_000L);
    for (Block b : p.live.values()) {
      sb.append(" | ")
          .append(b.name)
          .append(" rows ")
          .append(b.rows().size())
          .append(" touch ")
          .append(b.lastTouchNanos / 1_000_000L)
          .append(" keys ")
          .append(b.keys.size());
    }
    for (Partition.Evicted e : p.evicted) {
      sb.append(" ev ")
          .append(e.name())
          .append(" ")
          .append(e.minSeq())
          .append("-")
          .append(e.maxSeq());
    }
    return sb.toString();
  }

  private static int dupes(RealtimeStore s, byte[] record) throws Exception {
    StagedAppend st = s.stage(0, List.of(record));
    st.discard();
    return st.duplicates();
  }

  @Test
  void applyRefusesAStageThePartitionHasMovedPast() throws Exception {
    try (RealtimeStore a = RealtimeStore.open(options(dir.resolve("x"), 0))) {
      Gen g = new Gen(new Random(1));
      StagedAppend first = a.stage(0, g.batch());
      StagedAppend second = a.stage(0, g.batch());
      first.apply();
      assertThatThrownBy(second::apply)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("since this stage was taken");
    }
  }

  @Test
  void aDiscardedStageLeavesNoTrace() throws Exception {
    try (RealtimeStore a = RealtimeStore.open(options(dir.resolve("y"), 0))) {
      Gen g = new Gen(new Random(2));
      a.stage(0, g.batch()).apply();
      String before = a.fingerprint(0);
      PartitionStats stats = a.partitionStats(0);
      List<byte[]> batch = g.batch();
      a.stage(0, batch).discard();
      assertThat(a.fingerprint(0)).isEqualTo(before);
      assertThat(a.partitionStats(0)).isEqualTo(stats);
      assertThat(a.read(0, 0, 10_000)).hasSize((int) stats.nextSequence());
      // the discarded records are not duplicates of anything: staged again, all are stored
      StagedAppend again = a.stage(0, batch);
      assertThat(again.duplicates()).isEqualTo(a.stage(0, batch).duplicates());
    }
  }

  /** Random events for one partition. */
  static final class Gen {
    final Random r;
    long now = T0;
    int next;
    final List<String> recent = new ArrayList<>();

    Gen(Random r) {
      this.r = r;
    }

    Gen copy() {
      Gen g = new Gen(new Random(r.nextLong()));
      g.now = now;
      g.next = next + 1_000_000;
      g.recent.addAll(recent);
      return g;
    }

    List<byte[]> batch() {
      int n = 1 + r.nextInt(12);
      List<byte[]> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        long upload = now - (r.nextInt(10) == 0 ? r.nextInt((int) (6 * BLOCK)) : r.nextInt(200));
        out.add(EventRecords.encode(event(id(), upload)));
      }
      now += r.nextInt(150);
      return out;
    }

    /** Fresh ids, and ids this continuation stored a moment ago (inside any window). */
    List<byte[]> continuation() {
      int n = 1 + r.nextInt(8);
      List<byte[]> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String id;
        if (r.nextInt(3) == 0 && !mine.isEmpty()) {
          id = mine.get(mine.size() - 1 - r.nextInt(Math.min(mine.size(), 10)));
        } else {
          id = "c" + next++;
          mine.add(id);
        }
        out.add(EventRecords.encode(event(id, now - r.nextInt(100))));
      }
      now += r.nextInt(100);
      return out;
    }

    final List<String> mine = new ArrayList<>();

    private String id() {
      int k = r.nextInt(20);
      if (k == 0) {
        return null;
      }
      if (k < 5 && !recent.isEmpty()) {
        return recent.get(recent.size() - 1 - r.nextInt(Math.min(recent.size(), 50)));
      }
      String id = "e" + next++;
      recent.add(id);
      return id;
    }

    private Event event(String insertId, long upload) {
      return Event.builder()
          .eventType(r.nextBoolean() ? "view" : "buy")
          .userId("u" + r.nextInt(30))
          .insertId(insertId)
          .sourceId(r.nextInt(4) == 0 ? "other" : "src")
          .uploadTime(upload)
          .time(upload - r.nextInt(100_000))
          .build();
    }
  }
}
