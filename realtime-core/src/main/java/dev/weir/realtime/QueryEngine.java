package dev.weir.realtime;

import dev.weir.sdk.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import org.roaringbitmap.RoaringBitmap;

/**
 * Segmentation, funnel and audience over cached blocks (through the quiet view), evicted block
 * files and chunks, one task per partition in parallel. Chunks whose time range misses the query
 * are skipped and only the needed columns are decoded. Because a user lives in exactly one
 * partition, distinct-user counts add up across partitions exactly. Thread-safe.
 */
final class QueryEngine {
  static final int EVENT_TYPE = 0;
  static final int TIME = 1;
  static final int UPLOAD_TIME = 2;
  static final int USER_ID = 3;
  static final int DEVICE_ID = 4;
  private static final List<String> BASE =
      List.of("event_type", "time", "upload_time", "user_id", "device_id");

  private final List<Partition> partitions;
  private final ExecutorService pool;

  QueryEngine(List<Partition> partitions, ExecutorService pool) {
    this.partitions = partitions;
    this.pool = pool;
  }

  /** Column-major access to the rows of one source. */
  interface Table {
    int size();

    Object get(int column, int row);

    default long time(int row) {
      Object t = get(TIME, row);
      return t != null ? ((Number) t).longValue() : ((Number) get(UPLOAD_TIME, row)).longValue();
    }

    default String identity(int row) {
      Object u = get(USER_ID, row);
      return u != null ? (String) u : (String) get(DEVICE_ID, row);
    }
  }

  private record EventTable(Event[] events, int size, List<String> columns) implements Table {
    @Override
    public Object get(int column, int row) {
      return EventFields.get(events[row], columns.get(column));
    }
  }

  /** A chunk's rows; columns are decoded on first use, times as primitives. Not thread-safe. */
  private static final class ChunkTable implements Table {
    private final ChunkFile.Reader reader;
    private final List<String> columns;
    private final Object[][] cols;
    private final int size;
    private long[] times;

    ChunkTable(ChunkFile.Reader reader, List<String> columns) {
      this.reader = reader;
      this.columns = columns;
      this.cols = new Object[columns.size()][];
      this.size = reader.meta.rows();
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public Object get(int column, int row) {
      Object[] c = cols[column];
      if (c == null) {
        c = io(() -> reader.column(columns.get(column)));
        cols[column] = c;
      }
      return c[row];
    }

    @Override
    public long time(int row) {
      if (times == null) {
        long[] t = io(() -> reader.longColumn("time", Long.MIN_VALUE));
        long[] u = null;
        for (int i = 0; i < t.length; i++) {
          if (t[i] == Long.MIN_VALUE) {
            if (u == null) {
              u = io(() -> reader.longColumn("upload_time", Long.MIN_VALUE));
            }
            t[i] = u[i];
          }
        }
        times = t;
      }
      return times[row];
    }
  }

  /** The columns a query reads: the base columns, then the extras in order (deduplicated). */
  private static List<String> columns(List<String> extras) {
    List<String> cols = new ArrayList<>(BASE);
    for (String e : extras) {
      if (!cols.contains(e)) {
        cols.add(e);
      }
    }
    return cols;
  }

  private static Matcher matcher(String eventType, List<Filter> filters, List<String> cols) {
    int[] idx = new int[filters.size()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = cols.indexOf(filters.get(i).property());
    }
    return new Matcher(eventType, filters, idx);
  }

  /**
   * Hands every source of a partition that may hold event times in [from, to) to {@code sink}, as a
   * table.
   */
  private static void forEachTable(
      Partition p, List<String> cols, long from, long to, java.util.function.Consumer<Table> sink)
      throws IOException {
    Partition.Snapshot s = p.snapshot();
    for (Block.Rows r : s.blocks()) {
      sink.accept(new EventTable(r.events(), r.size(), cols));
    }
    for (Partition.Evicted ev : s.evicted()) {
      if (ev.maxTime() < from || ev.minTime() >= to) {
        continue;
      }
      WalFile.Replay r = WalFile.replay(p.fs, ev.path(), false, m -> {});
      sink.accept(new EventTable(r.events().toArray(new Event[0]), r.events().size(), cols));
    }
    for (ChunkFile.Meta m : s.chunks()) {
      if (m.maxTime() < from || m.minTime() >= to) {
        continue;
      }
      try (ChunkFile.Reader r = new ChunkFile.Reader(p.fs, p.chunkPath(m.id()), m)) {
        sink.accept(new ChunkTable(r, cols));
      }
    }
  }

  private <T> List<T> perPartition(Function<Partition, T> task) {
    List<CompletableFuture<T>> futures = new ArrayList<>();
    for (Partition p : partitions) {
      futures.add(
          CompletableFuture.supplyAsync(
              () -> {
                for (int attempt = 0; ; attempt++) {
                  try {
                    return task.apply(p);
                  } catch (UncheckedIOException e) {
                    if (!(e.getCause() instanceof java.nio.file.NoSuchFileException)
                        || attempt >= 5) {
                      throw e;
                    }
                  }
                }
              },
              pool));
    }
    List<T> out = new ArrayList<>();
    for (CompletableFuture<T> f : futures) {
      out.add(f.join());
    }
    return out;
  }

  SegmentationResult segmentation(SegmentationQuery q) {
    List<String> extras = new ArrayList<>();
    q.filters().forEach(f -> extras.add(f.property()));
    if (q.groupBy() != null) {
      extras.add(q.groupBy());
    }
    List<String> cols = columns(extras);
    Matcher m = matcher(q.eventType(), q.filters(), cols);
    int groupCol = q.groupBy() == null ? -1 : cols.indexOf(q.groupBy());
    long width = q.bucket().millis;
    boolean uniques = q.metric() == SegmentationQuery.Metric.UNIQUES;
    List<Map<String, Map<Long, Long>>> parts =
        perPartition(
            p -> {
              Map<String, Map<Long, long[]>> counts = new HashMap<>();
              Map<String, Map<Long, RoaringBitmap>> users = new HashMap<>();
              Map<String, Integer> dict = new HashMap<>();
              io(
                  () ->
                      forEachTable(
                          p,
                          cols,
                          q.fromTime(),
                          q.toTime(),
                          t -> {
                            for (int row = 0; row < t.size(); row++) {
                              long time = t.time(row);
                              if (time < q.fromTime() || time >= q.toTime() || !m.matches(t, row)) {
                                continue;
                              }
                              String group = groupCol < 0 ? "" : groupKey(t.get(groupCol, row));
                              long bucket = Math.floorDiv(time, width) * width;
                              if (uniques) {
                                String who = t.identity(row);
                                if (who == null) {
                                  continue;
                                }
                                int uid = dict.computeIfAbsent(who, k -> dict.size());
                                users
                                    .computeIfAbsent(group, g -> new HashMap<>())
                                    .computeIfAbsent(bucket, b -> new RoaringBitmap())
                                    .add(uid);
                              } else {
                                counts.computeIfAbsent(group, g -> new HashMap<>())
                                    .computeIfAbsent(bucket, b -> new long[1])[0]++;
                              }
                            }
                          }));
              Map<String, Map<Long, Long>> result = new HashMap<>();
              counts.forEach(
                  (g, bs) ->
                      bs.forEach(
                          (b, c) -> result.computeIfAbsent(g, x -> new HashMap<>()).put(b, c[0])));
              users.forEach(
                  (g, bs) ->
                      bs.forEach(
                          (b, u) ->
                              result
                                  .computeIfAbsent(g, x -> new HashMap<>())
                                  .put(b, (long) u.getCardinality())));
              return result;
            });
    Map<String, SortedMap<Long, Long>> merged = new TreeMap<>();
    for (Map<String, Map<Long, Long>> part : parts) {
      part.forEach(
          (g, bs) ->
              bs.forEach(
                  (b, c) ->
                      merged.computeIfAbsent(g, x -> new TreeMap<>()).merge(b, c, Long::sum)));
    }
    return new SegmentationResult(merged);
  }

  private static String groupKey(Object v) {
    return v == null ? "(none)" : String.valueOf(v);
  }

  FunnelResult funnel(FunnelQuery q) {
    List<String> extras = new ArrayList<>();
    q.steps().forEach(s -> s.filters().forEach(f -> extras.add(f.property())));
    List<String> cols = columns(extras);
    List<Matcher> steps = new ArrayList<>();
    for (FunnelQuery.Step s : q.steps()) {
      steps.add(matcher(s.eventType(), s.filters(), cols));
    }
    long end = q.toTime() + q.conversionWindowMillis();
    int n = steps.size();
    List<long[]> parts =
        perPartition(
            p -> {
              Map<String, List<long[]>> perUser = new HashMap<>();
              io(
                  () ->
                      forEachTable(
                          p,
                          cols,
                          q.fromTime(),
                          end,
                          t -> {
                            for (int row = 0; row < t.size(); row++) {
                              long time = t.time(row);
                              if (time < q.fromTime() || time >= end) {
                                continue;
                              }
                              long mask = 0;
                              for (int s = 0; s < n; s++) {
                                if (steps.get(s).matches(t, row)) {
                                  mask |= 1L << s;
                                }
                              }
                              String who = t.identity(row);
                              if (mask != 0 && who != null) {
                                perUser
                                    .computeIfAbsent(who, k -> new ArrayList<>())
                                    .add(new long[] {time, mask});
                              }
                            }
                          }));
              long[] reached = new long[n];
              for (List<long[]> evs : perUser.values()) {
                evs.sort((a, b) -> Long.compare(a[0], b[0]));
                int best = 0;
                for (int i = 0; i < evs.size() && best < n; i++) {
                  long[] first = evs.get(i);
                  if ((first[1] & 1) == 0 || first[0] >= q.toTime()) {
                    continue;
                  }
                  int cur = 1;
                  for (int j = i + 1; j < evs.size() && cur < n; j++) {
                    long[] e = evs.get(j);
                    if (e[0] > first[0] + q.conversionWindowMillis()) {
                      break;
                    }
                    if ((e[1] & (1L << cur)) != 0) {
                      cur++;
                    }
                  }
                  best = Math.max(best, cur);
                }
                for (int s = 0; s < best; s++) {
                  reached[s]++;
                }
              }
              return reached;
            });
    List<Long> total = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      long sum = 0;
      for (long[] r : parts) {
        sum += r[s];
      }
      total.add(sum);
    }
    return new FunnelResult(total);
  }

  Set<String> audience(AudienceQuery q) {
    List<String> extras = new ArrayList<>();
    q.filters().forEach(f -> extras.add(f.property()));
    List<String> cols = columns(extras);
    Matcher m = matcher(q.eventType(), q.filters(), cols);
    List<Set<String>> parts =
        perPartition(
            p -> {
              Set<String> who = new HashSet<>();
              io(
                  () ->
                      forEachTable(
                          p,
                          cols,
                          q.fromTime(),
                          q.toTime(),
                          t -> {
                            for (int row = 0; row < t.size(); row++) {
                              long time = t.time(row);
                              if (time >= q.fromTime() && time < q.toTime() && m.matches(t, row)) {
                                String id = t.identity(row);
                                if (id != null) {
                                  who.add(id);
                                }
                              }
                            }
                          }));
              return who;
            });
    Set<String> all = new java.util.TreeSet<>();
    parts.forEach(all::addAll);
    return all;
  }

  private interface IoSupplier<T> {
    T get() throws IOException;
  }

  private interface IoRunnable {
    void run() throws IOException;
  }

  private static void io(IoRunnable r) {
    try {
      r.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> T io(IoSupplier<T> s) {
    try {
      return s.get();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
