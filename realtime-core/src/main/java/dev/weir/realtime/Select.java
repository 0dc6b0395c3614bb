package dev.weir.realtime;

import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * Which rows of a slice a query reads: time range, event type, source scope and filters, each
 * decided first from the chunk footer (time range, dictionary words, min/max: the whole slice
 * skipped or taken) and otherwise evaluated into RoaringBitmaps over primitive columns. Immutable.
 */
final class Select {
  static final String QUARANTINE = ":quarantine";

  final long from;
  final long to;
  final String eventType;
  final List<Filter> filters;
  final List<String> sources;

  Select(long from, long to, String eventType, List<Filter> filters, List<String> sources) {
    this.from = from;
    this.to = to;
    this.eventType = eventType;
    this.filters = filters;
    this.sources = sources;
  }

  /** Whether a source id is in scope: named ones, or without names every non-quarantine one. */
  static boolean inScope(List<String> sources, Object source) {
    if (sources.isEmpty()) {
      return !(source instanceof String s && s.endsWith(QUARANTINE));
    }
    return source != null && sources.contains(source);
  }

  /** Whether any row of the slice may match, judged from its footer alone. */
  boolean mayMatch(Slice s) {
    if (s.rows == 0 || s.maxTime < from || s.minTime >= to) {
      return false;
    }
    if (eventType != null && !mayMatch(s, Filter.eq("event_type", eventType))) {
      return false;
    }
    ChunkFile.Column src = s.stats("source_id");
    if (src != null && src.words() != null) {
      boolean any = false;
      for (String w : src.words()) {
        any |= inScope(sources, w);
      }
      if (!any) {
        return false;
      }
    }
    for (Filter f : filters) {
      if (!mayMatch(s, f)) {
        return false;
      }
    }
    return true;
  }

  private static boolean mayMatch(Slice s, Filter f) {
    switch (f.op()) {
      case AND:
        for (Filter c : f.children()) {
          if (!mayMatch(s, c)) {
            return false;
          }
        }
        return true;
      case OR:
        for (Filter c : f.children()) {
          if (mayMatch(s, c)) {
            return true;
          }
        }
        return false;
      default:
        break;
    }
    if (s.knownAbsent(f.property())) {
      return Matcher.testValue(f, null);
    }
    ChunkFile.Column c = s.stats(f.property());
    if (c == null || Matcher.testValue(f, null)) {
      return true;
    }
    if (c.words() != null) {
      for (String w : c.words()) {
        if (Matcher.testValue(f, w)) {
          return true;
        }
      }
      return false;
    }
    if (c.min() != null && Col.numeric(f) && !f.values().isEmpty()) {
      double lo = c.min();
      double hi = c.max();
      double x = ((Number) f.values().get(0)).doubleValue();
      return switch (f.op()) {
        case LT -> lo < x;
        case LE -> lo <= x;
        case GT -> hi > x;
        case GE -> hi >= x;
        case EQ -> lo <= x && x <= hi;
        case IN ->
            f.values().stream()
                .mapToDouble(o -> ((Number) o).doubleValue())
                .anyMatch(y -> lo <= y && y <= hi);
        default -> true;
      };
    }
    return true;
  }

  /** The matching rows, or null when none can match. */
  RoaringBitmap rows(Slice s) {
    if (!mayMatch(s)) {
      return null;
    }
    RoaringBitmap r = null;
    if (eventType != null) {
      r = s.col("event_type").select(Filter.eq("event_type", eventType));
    }
    Col src = s.col("source_id");
    ChunkFile.Column st = s.stats("source_id");
    boolean allInScope = false;
    if (st != null && st.words() != null) {
      allInScope = true;
      for (String w : st.words()) {
        allInScope &= inScope(sources, w);
      }
    }
    if (!allInScope) {
      r = and(r, scope(src));
    }
    for (Filter f : filters) {
      if (r != null && r.isEmpty()) {
        return r;
      }
      r = and(r, eval(s, f));
    }
    if (s.minTime < from || s.maxTime >= to) {
      long[] t = s.times();
      if (r == null) {
        long[] w = new long[(s.rows + 63) >>> 6];
        for (int i = 0; i < s.rows; i++) {
          if (t[i] >= from && t[i] < to) {
            w[i >>> 6] |= 1L << i;
          }
        }
        r = Col.fromWords(w);
      } else {
        RoaringBitmap kept = new RoaringBitmap();
        org.roaringbitmap.IntIterator it = r.getIntIterator();
        while (it.hasNext()) {
          int i = it.next();
          if (t[i] >= from && t[i] < to) {
            kept.add(i);
          }
        }
        r = kept;
      }
    }
    return r == null ? Col.all(s.rows) : r;
  }

  private RoaringBitmap scope(Col src) {
    if (src instanceof Col.Dict d) {
      boolean[] ok = new boolean[d.words.length];
      for (int i = 0; i < ok.length; i++) {
        ok[i] = inScope(sources, d.words[i]);
      }
      boolean nullOk = inScope(sources, null);
      long[] w = new long[(d.rows + 63) >>> 6];
      for (int i = 0; i < d.rows; i++) {
        int id = d.ids[i];
        if (id < 0 ? nullOk : ok[id]) {
          w[i >>> 6] |= 1L << i;
        }
      }
      return Col.fromWords(w);
    }
    long[] w = new long[(src.rows + 63) >>> 6];
    for (int i = 0; i < src.rows; i++) {
      if (inScope(sources, src.value(i))) {
        w[i >>> 6] |= 1L << i;
      }
    }
    return Col.fromWords(w);
  }

  static RoaringBitmap eval(Slice s, Filter f) {
    switch (f.op()) {
      case AND -> {
        RoaringBitmap r = null;
        for (Filter c : f.children()) {
          r = and(r, eval(s, c));
          if (r.isEmpty()) {
            break;
          }
        }
        return r;
      }
      case OR -> {
        RoaringBitmap r = new RoaringBitmap();
        for (Filter c : f.children()) {
          r.or(eval(s, c));
        }
        return r;
      }
      default -> {
        return s.col(f.property()).select(f);
      }
    }
  }

  private static RoaringBitmap and(RoaringBitmap a, RoaringBitmap b) {
    if (a == null) {
      return b;
    }
    return RoaringBitmap.and(a, b);
  }
}
