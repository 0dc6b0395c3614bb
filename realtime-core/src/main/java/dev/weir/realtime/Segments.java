package dev.weir.realtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.roaringbitmap.BatchIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * One segmentation: per slice, the selected rows are aggregated into per-group arrays indexed by
 * bucket (counts, sums, min/max, RoaringBitmaps of identity ids); partials merge exactly across
 * slices and partitions (an identity id names one user store-wide). Not thread-safe; one per query.
 */
final class Segments {
  static final int MAX_BUCKETS = 100_000;

  private final QueryEngine engine;
  private final SegmentationQuery q;
  private final Select sel;
  private final long base;
  private final long width;
  private final int buckets;
  private final boolean uniques;
  private final boolean numeric;
  private final QueryEngine.Scope scope;

  Segments(QueryEngine engine, SegmentationQuery q) {
    this.engine = engine;
    this.q = q;
    this.sel = new Select(q.fromTime(), q.toTime(), q.eventType(), q.filters(), q.sources());
    this.width = q.bucket().millis;
    this.base = Math.floorDiv(q.fromTime(), width) * width;
    long n = q.toTime() <= q.fromTime() ? 0 : (q.toTime() - 1 - base) / width + 1;
    if (n > MAX_BUCKETS) {
      throw new IllegalArgumentException(
          "the time range holds " + n + " " + q.bucket() + " buckets, at most " + MAX_BUCKETS);
    }
    this.buckets = (int) n;
    this.uniques = q.metric() == SegmentationQuery.Metric.UNIQUES;
    this.numeric = q.metric().numeric();
    this.scope = engine.new Scope();
  }

  /** One group's accumulators, by bucket index. */
  final class Acc {
    final long[] count;
    final double[] sum;
    final double[] min;
    final double[] max;
    final RoaringBitmap[] users;
    final RoaringBitmap allUsers;

    Acc() {
      scope.take(8L * buckets * (numeric ? 4 : 1) + 64);
      count = new long[buckets];
      sum = numeric ? new double[buckets] : null;
      min = numeric ? filled(Double.POSITIVE_INFINITY) : null;
      max = numeric ? filled(Double.NEGATIVE_INFINITY) : null;
      users = uniques ? new RoaringBitmap[buckets] : null;
      allUsers = uniques ? new RoaringBitmap() : null;
    }

    /** Identity ids seen per bucket in the current slice, turned into bitmaps in bulk. */
    private int[][] pending;

    private int[] pendingCount;

    void pend(int b, int id) {
      if (pending == null) {
        pending = new int[buckets][];
        pendingCount = new int[buckets];
      }
      int[] p = pending[b];
      int n = pendingCount[b];
      if (p == null) {
        p = pending[b] = new int[64];
      } else if (n == p.length) {
        p = pending[b] = java.util.Arrays.copyOf(p, n * 2);
      }
      p[n] = id;
      pendingCount[b] = n + 1;
    }

    /** Adds the pending ids of each bucket at once (sorted runs build a bitmap far faster). */
    void flush() {
      if (pending == null) {
        return;
      }
      for (int b = 0; b < buckets; b++) {
        if (pending[b] != null) {
          RoaringBitmap add =
              RoaringBitmap.bitmapOfUnordered(java.util.Arrays.copyOf(pending[b], pendingCount[b]));
          scope.take(2L * add.getSizeInBytes()); // kept per bucket and in the group's total
          if (users[b] == null) {
            users[b] = add;
          } else {
            users[b].or(add);
          }
          allUsers.or(add);
        }
      }
      pending = null;
      pendingCount = null;
    }

    private double[] filled(double v) {
      double[] a = new double[buckets];
      java.util.Arrays.fill(a, v);
      return a;
    }

    void merge(Acc o) {
      for (int b = 0; b < buckets; b++) {
        count[b] += o.count[b];
        if (numeric) {
          sum[b] += o.sum[b];
          min[b] = Math.min(min[b], o.min[b]);
          max[b] = Math.max(max[b], o.max[b]);
        }
        if (uniques && o.users[b] != null) {
          if (users[b] == null) {
            users[b] = o.users[b].clone();
          } else {
            users[b].or(o.users[b]);
          }
        }
      }
      if (uniques) {
        allUsers.or(o.allUsers);
      }
    }

    Double value(int b) {
      if (count[b] == 0) {
        return null;
      }
      return switch (q.metric()) {
        case COUNT -> (double) count[b];
        case UNIQUES -> (double) users[b].getCardinality();
        case SUM -> sum[b];
        case AVG -> sum[b] / count[b];
        case MIN -> min[b];
        case MAX -> max[b];
      };
    }

    double total() {
      long n = 0;
      double s = 0;
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int b = 0; b < buckets; b++) {
        n += count[b];
        if (numeric) {
          s += sum[b];
          lo = Math.min(lo, min[b]);
          hi = Math.max(hi, max[b]);
        }
      }
      return switch (q.metric()) {
        case COUNT -> n;
        case UNIQUES -> allUsers.getCardinality();
        case SUM -> s;
        case AVG -> n == 0 ? 0 : s / n;
        case MIN -> lo;
        case MAX -> hi;
      };
    }
  }

  /** A slice's (or several slices') accumulators by group key. */
  final class Partial {
    final Map<String, Acc> groups = new HashMap<>();

    Acc group(String key) {
      Acc a = groups.get(key);
      if (a == null) {
        a = new Acc();
        groups.put(key, a);
      }
      return a;
    }

    void merge(Partial o) {
      o.groups.forEach(
          (k, a) -> {
            Acc mine = groups.get(k);
            if (mine == null) {
              groups.put(k, a);
            } else {
              mine.merge(a);
            }
          });
    }
  }

  Partial scan(Slice s) {
    RoaringBitmap rows = sel.rows(s);
    if (rows == null || rows.isEmpty()) {
      return null;
    }
    Partial out = new Partial();
    long[] t = s.times();
    int[] ids = uniques ? s.identities(scope.ids) : null;
    Col metric = numeric ? s.col(q.metricProperty()) : null;
    Col group = q.groupBy() == null ? null : s.col(q.groupBy());
    Acc single = group == null ? out.group("") : null;
    Acc[] byWord = null;
    Acc none = null;
    Map<String, Acc> byValue = null;
    if (group instanceof Col.Dict d) {
      byWord = new Acc[d.words.length];
    } else if (group != null) {
      byValue = new HashMap<>();
    }
    int[] buf = new int[256];
    BatchIterator it = rows.getBatchIterator();
    while (it.hasNext()) {
      int k = it.nextBatch(buf);
      for (int j = 0; j < k; j++) {
        int r = buf[j];
        Acc a = single;
        if (a == null) {
          if (byWord != null) {
            int w = ((Col.Dict) group).ids[r];
            if (w < 0) {
              a = none != null ? none : (none = out.group(SegmentationResult.NONE));
            } else {
              a = byWord[w];
              if (a == null) {
                a = byWord[w] = out.group(((Col.Dict) group).words[w]);
              }
            }
          } else {
            Object v = group.value(r);
            String key = v == null ? SegmentationResult.NONE : String.valueOf(v);
            a = byValue.get(key);
            if (a == null) {
              a = out.group(key);
              byValue.put(key, a);
            }
          }
        }
        int b = (int) ((t[r] - base) / width);
        if (uniques) {
          int id = ids[r];
          if (id < 0) {
            continue;
          }
          a.pend(b, id);
          a.count[b]++;
        } else if (numeric) {
          double x = metric.number(r);
          if (Double.isNaN(x)) {
            continue;
          }
          a.count[b]++;
          a.sum[b] += x;
          a.min[b] = Math.min(a.min[b], x);
          a.max[b] = Math.max(a.max[b], x);
        } else {
          a.count[b]++;
        }
      }
    }
    if (uniques) {
      for (Acc a : out.groups.values()) {
        a.flush();
      }
    }
    return out;
  }

  SegmentationResult run() {
    List<Partial> parts = engine.scan(scope, q.fromTime(), q.toTime(), this::scan);
    Partial all = new Partial();
    for (Partial p : parts) {
      all.merge(p);
    }
    all.groups.values().removeIf(a -> java.util.Arrays.stream(a.count).allMatch(c -> c == 0));
    Map<String, Double> totals = new HashMap<>();
    all.groups.forEach((g, a) -> totals.put(g, a.total()));
    List<String> order = new ArrayList<>(all.groups.keySet());
    order.sort(
        (x, y) -> {
          int c = Double.compare(totals.get(y), totals.get(x));
          return c != 0 ? c : x.compareTo(y);
        });
    if (q.groupBy() != null && q.limit() > 0 && order.size() > q.limit()) {
      Acc other = new Acc();
      for (String g : order.subList(q.limit(), order.size())) {
        other.merge(all.groups.get(g));
        totals.remove(g);
      }
      order = new ArrayList<>(order.subList(0, q.limit()));
      order.add(SegmentationResult.OTHER);
      all.groups.put(SegmentationResult.OTHER, other);
      totals.put(SegmentationResult.OTHER, other.total());
    }
    Map<String, SortedMap<Long, Double>> values = new HashMap<>();
    for (String g : order) {
      Acc a = all.groups.get(g);
      SortedMap<Long, Double> m = new TreeMap<>();
      for (int b = 0; b < buckets; b++) {
        Double v = a.value(b);
        if (v != null) {
          m.put(base + b * width, v);
        }
      }
      values.put(g, m);
    }
    return new SegmentationResult(values, totals, order);
  }
}
