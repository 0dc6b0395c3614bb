package dev.weir.realtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.roaringbitmap.BatchIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * Funnels and retention: each slice contributes the rows matching any step as primitive arrays
 * (identity id, time, sequence, step mask, held value); all rows are then ordered by identity with
 * a counting sort, each user's rows by (time, sequence), and users are walked in parallel ranges.
 * Stateless.
 */
final class Paths {
  private Paths() {}

  /** Rows of one or more slices; parallel arrays. */
  static final class Rows {
    final int[] id;
    final long[] time;
    final long[] seq;
    final int[] mask;
    final int[] hold;
    final int n;

    Rows(int[] id, long[] time, long[] seq, int[] mask, int[] hold, int n) {
      this.id = id;
      this.time = time;
      this.seq = seq;
      this.mask = mask;
      this.hold = hold;
      this.n = n;
    }

    static Rows concat(List<Rows> parts) {
      int n = 0;
      for (Rows r : parts) {
        n += r.n;
      }
      int[] id = new int[n];
      long[] time = new long[n];
      long[] seq = new long[n];
      int[] mask = new int[n];
      int[] hold = new int[n];
      int at = 0;
      for (Rows r : parts) {
        System.arraycopy(r.id, 0, id, at, r.n);
        System.arraycopy(r.time, 0, time, at, r.n);
        System.arraycopy(r.seq, 0, seq, at, r.n);
        System.arraycopy(r.mask, 0, mask, at, r.n);
        System.arraycopy(r.hold, 0, hold, at, r.n);
        at += r.n;
      }
      return new Rows(id, time, seq, mask, hold, n);
    }
  }

  /** Collects the rows of a slice matching any of {@code steps} ({@code bit i} = step i). */
  private static Rows collect(
      QueryEngine e,
      QueryEngine.Scope scope,
      Slice s,
      List<Select> steps,
      String holdColumn,
      ConcurrentHashMap<String, Integer> holdIds) {
    RoaringBitmap any = new RoaringBitmap();
    RoaringBitmap[] per = new RoaringBitmap[steps.size()];
    for (int i = 0; i < per.length; i++) {
      per[i] = steps.get(i).rows(s);
      if (per[i] != null) {
        any.or(per[i]);
      }
    }
    if (any.isEmpty()) {
      return null;
    }
    int n = any.getCardinality();
    scope.take(28L * n);
    int[] ids = s.identities(scope.ids);
    long[] t = s.times();
    long[] sq = s.seqs();
    int[] holdOfWord = null;
    Col hold = holdColumn == null ? null : s.col(holdColumn);
    if (hold instanceof Col.Dict d) {
      holdOfWord = new int[d.words.length];
      for (int i = 0; i < holdOfWord.length; i++) {
        holdOfWord[i] = holdIds.computeIfAbsent(d.words[i], k -> holdIds.size());
      }
    }
    // each row's steps, by walking each step's bitmap once (not a contains() per row and step)
    int[] rowMask = new int[s.rows];
    for (int st = 0; st < per.length; st++) {
      if (per[st] != null) {
        int bit = 1 << st;
        per[st].forEach((int r) -> rowMask[r] |= bit);
      }
    }
    int[] id = new int[n];
    long[] time = new long[n];
    long[] seq = new long[n];
    int[] mask = new int[n];
    int[] hv = new int[n];
    int k = 0;
    int[] buf = new int[256];
    BatchIterator it = any.getBatchIterator();
    while (it.hasNext()) {
      int got = it.nextBatch(buf);
      for (int j = 0; j < got; j++) {
        int r = buf[j];
        if (ids[r] < 0) {
          continue;
        }
        int m = rowMask[r];
        id[k] = ids[r];
        time[k] = t[r];
        seq[k] = sq[r];
        mask[k] = m;
        if (hold == null) {
          hv[k] = 0;
        } else if (holdOfWord != null) {
          int w = ((Col.Dict) hold).ids[r];
          hv[k] = w < 0 ? -1 : holdOfWord[w];
        } else {
          Object v = hold.value(r);
          hv[k] = v == null ? -1 : holdIds.computeIfAbsent(String.valueOf(v), x -> holdIds.size());
        }
        k++;
      }
    }
    return new Rows(id, time, seq, mask, hv, k);
  }

  /** All slices' rows in one, counted against the query's memory (the parts are dropped after). */
  private static Rows concat(QueryEngine.Scope scope, List<Rows> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    long n = 0;
    for (Rows r : parts) {
      n += r.n;
    }
    scope.take(28L * n);
    return Rows.concat(parts);
  }

  /** Walks each user's rows, in (time, sequence) order; one visitor per parallel range. */
  interface UserVisitor {
    void visit(Rows rows, int[] order, int from, int to);
  }

  private static <V extends UserVisitor> List<V> walk(
      QueryEngine e, QueryEngine.Scope scope, Rows rows, java.util.function.Supplier<V> make) {
    int users = scope.ids.size();
    scope.take(8L * users + 4L * rows.n); // start and fill per user, order per row
    int[] start = new int[users + 1];
    for (int i = 0; i < rows.n; i++) {
      start[rows.id[i] + 1]++;
    }
    for (int u = 0; u < users; u++) {
      start[u + 1] += start[u];
    }
    int[] order = new int[rows.n];
    int[] fill = Arrays.copyOf(start, users);
    for (int i = 0; i < rows.n; i++) {
      order[fill[rows.id[i]]++] = i;
    }
    int parts = Math.max(1, Runtime.getRuntime().availableProcessors());
    List<CompletableFuture<V>> fs = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      int lo = (int) ((long) users * p / parts);
      int hi = (int) ((long) users * (p + 1) / parts);
      fs.add(
          CompletableFuture.supplyAsync(
              () -> {
                V v = make.get();
                for (int u = lo; u < hi; u++) {
                  int a = start[u];
                  int b = start[u + 1];
                  if (a == b) {
                    continue;
                  }
                  sortByTime(rows, order, a, b);
                  v.visit(rows, order, a, b);
                }
                return v;
              },
              e.pool()));
    }
    List<V> out = new ArrayList<>();
    for (CompletableFuture<V> f : fs) {
      try {
        out.add(f.join());
      } catch (java.util.concurrent.CompletionException ex) {
        if (ex.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw ex;
      }
    }
    return out;
  }

  private static void sortByTime(Rows r, int[] order, int a, int b) {
    for (int i = a + 1; i < b; i++) {
      int x = order[i];
      int j = i - 1;
      while (j >= a && after(r, order[j], x)) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = x;
    }
  }

  private static boolean after(Rows r, int x, int y) {
    return r.time[x] > r.time[y] || (r.time[x] == r.time[y] && r.seq[x] > r.seq[y]);
  }

  private static List<Select> selects(
      List<FunnelQuery.Step> steps, long from, long to, List<String> sources) {
    List<Select> out = new ArrayList<>();
    for (FunnelQuery.Step s : steps) {
      out.add(new Select(from, to, s.eventType(), s.filters(), sources));
    }
    return out;
  }

  /** Per-step conversions of one range of users. */
  static final class FunnelWalk implements UserVisitor {
    final FunnelQuery q;
    final QueryEngine.Scope scope;
    final int steps;
    final long[] reached;
    final long[][] times;
    final int[] timeCount;
    private final long[] path;
    private final long[] bestPath;

    FunnelWalk(FunnelQuery q, QueryEngine.Scope scope) {
      this.q = q;
      this.scope = scope;
      this.steps = q.steps().size();
      this.reached = new long[steps];
      this.times = new long[steps][16];
      this.timeCount = new int[steps];
      this.path = new long[steps];
      this.bestPath = new long[steps];
    }

    @Override
    public void visit(Rows r, int[] order, int a, int b) {
      int best = 0;
      boolean hold = q.holdConstant() != null;
      for (int i = a; i < b && best < steps; i++) {
        int x = order[i];
        long t0 = r.time[x];
        if ((r.mask[x] & 1) == 0 || t0 < q.fromTime() || t0 >= q.toTime()) {
          continue;
        }
        int cur = 1;
        path[0] = t0;
        int hv = r.hold[x];
        if (!hold || hv >= 0) {
          for (int j = i + 1; j < b && cur < steps; j++) {
            int y = order[j];
            if (r.time[y] > t0 + q.conversionWindowMillis()) {
              break;
            }
            if ((r.mask[y] & (1 << cur)) != 0 && (!hold || r.hold[y] == hv)) {
              path[cur++] = r.time[y];
            }
          }
        }
        if (cur > best) {
          best = cur;
          System.arraycopy(path, 0, bestPath, 0, cur);
        }
      }
      for (int s = 0; s < best; s++) {
        reached[s]++;
        if (s > 0) {
          if (timeCount[s] == times[s].length) {
            scope.take(8L * times[s].length);
            times[s] = Arrays.copyOf(times[s], times[s].length * 2);
          }
          times[s][timeCount[s]++] = bestPath[s] - bestPath[0];
        }
      }
    }
  }

  static FunnelResult funnel(QueryEngine e, FunnelQuery q) {
    long end = q.toTime() + q.conversionWindowMillis() + 1;
    List<Select> steps = selects(q.steps(), q.fromTime(), end, q.sources());
    QueryEngine.Scope scope = e.new Scope();
    ConcurrentHashMap<String, Integer> holdIds = new ConcurrentHashMap<>();
    List<Rows> parts =
        e.scan(
            scope, q.fromTime(), end, s -> collect(e, scope, s, steps, q.holdConstant(), holdIds));
    Rows all = concat(scope, parts);
    parts = null;
    List<FunnelWalk> walks = walk(e, scope, all, () -> new FunnelWalk(q, scope));
    int n = q.steps().size();
    List<Long> reached = new ArrayList<>();
    List<Long> medians = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      long sum = 0;
      int count = 0;
      for (FunnelWalk w : walks) {
        sum += w.reached[s];
        count += w.timeCount[s];
      }
      reached.add(sum);
      if (s == 0 || count == 0) {
        medians.add(null);
        continue;
      }
      long[] all2 = new long[count];
      int at = 0;
      for (FunnelWalk w : walks) {
        System.arraycopy(w.times[s], 0, all2, at, w.timeCount[s]);
        at += w.timeCount[s];
      }
      Arrays.sort(all2);
      medians.add(all2[(count - 1) / 2]);
    }
    return new FunnelResult(reached, medians);
  }

  /** Cohort sizes and returns of one range of users. */
  static final class RetentionWalk implements UserVisitor {
    final RetentionQuery q;
    final long base;
    final long width;
    final long[] users;
    final long[][] returned;
    private final boolean[] seen;

    RetentionWalk(RetentionQuery q, long base, int cohorts) {
      this.q = q;
      this.base = base;
      this.width = q.bucket().millis;
      this.users = new long[cohorts];
      this.returned = new long[cohorts][q.periods()];
      this.seen = new boolean[q.periods() + 1];
    }

    @Override
    public void visit(Rows r, int[] order, int a, int b) {
      long first = Long.MIN_VALUE;
      for (int i = a; i < b; i++) {
        int x = order[i];
        if ((r.mask[x] & 1) != 0 && r.time[x] >= q.fromTime() && r.time[x] < q.toTime()) {
          first = r.time[x];
          break;
        }
      }
      if (first == Long.MIN_VALUE) {
        return;
      }
      long cohort = Math.floorDiv(first, width) * width;
      int ci = (int) ((cohort - base) / width);
      users[ci]++;
      Arrays.fill(seen, false);
      for (int i = a; i < b; i++) {
        int x = order[i];
        if ((r.mask[x] & 2) == 0) {
          continue;
        }
        long k = (Math.floorDiv(r.time[x], width) * width - cohort) / width;
        if (k >= 1 && k <= q.periods() && !seen[(int) k]) {
          seen[(int) k] = true;
          returned[ci][(int) k - 1]++;
        }
      }
    }
  }

  static RetentionResult retention(QueryEngine e, RetentionQuery q) {
    long width = q.bucket().millis;
    long base = Math.floorDiv(q.fromTime(), width) * width;
    long lastCohort = Math.floorDiv(q.toTime() - 1, width) * width;
    int cohorts = q.toTime() <= q.fromTime() ? 0 : (int) ((lastCohort - base) / width) + 1;
    if (cohorts > Segments.MAX_BUCKETS) {
      throw new IllegalArgumentException("too many cohorts: " + cohorts);
    }
    long end = lastCohort + (q.periods() + 1L) * width;
    List<Select> steps =
        List.of(
            new Select(
                q.fromTime(), q.toTime(), q.start().eventType(), q.start().filters(), q.sources()),
            new Select(
                base + width,
                end,
                q.returning().eventType(),
                q.returning().filters(),
                q.sources()));
    QueryEngine.Scope scope = e.new Scope();
    List<Rows> parts =
        e.scan(scope, q.fromTime(), end, s -> collect(e, scope, s, steps, null, null));
    Rows all = concat(scope, parts);
    parts = null;
    List<RetentionWalk> walks =
        walk(
            e,
            scope,
            all,
            () -> {
              scope.take(8L * cohorts * (q.periods() + 1L));
              return new RetentionWalk(q, base, cohorts);
            });
    List<RetentionResult.Cohort> out = new ArrayList<>();
    for (int c = 0; c < cohorts; c++) {
      long users = 0;
      long[] ret = new long[q.periods()];
      for (RetentionWalk w : walks) {
        users += w.users[c];
        for (int k = 0; k < ret.length; k++) {
          ret[k] += w.returned[c][k];
        }
      }
      if (users > 0) {
        List<Long> r = new ArrayList<>();
        for (long x : ret) {
          r.add(x);
        }
        out.add(new RetentionResult.Cohort(base + c * width, users, r));
      }
    }
    return new RetentionResult(out);
  }
}
