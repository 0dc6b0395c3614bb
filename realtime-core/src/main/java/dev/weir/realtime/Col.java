package dev.weir.realtime;

import java.util.HashMap;
import java.util.Map;
import org.roaringbitmap.BitSetUtil;
import org.roaringbitmap.RoaringBitmap;

/**
 * One decoded column of a row range as primitives: whole numbers as {@code long[]}, decimals as
 * {@code double[]} (both with a presence bitmap), strings as dictionary ids into a word list, and
 * anything mixed as boxed values. Filters evaluate to row bitmaps ({@link #select}) without boxing
 * a value per row, following {@link Matcher#testValue}. Immutable once built; safe to share between
 * queries (the lazily built per-word postings are published racily but idempotently).
 */
abstract class Col {
  final int rows;

  Col(int rows) {
    this.rows = rows;
  }

  /** The row's value, boxed (for group keys, the reference path and mixed columns). */
  abstract Object value(int row);

  /** Approximate heap bytes, for the cache's weigher. */
  abstract long bytes();

  /** The rows among {@code [0, rows)} where {@code f} (a leaf) holds. */
  abstract RoaringBitmap select(Filter f);

  /** The row's value as a double, NaN when absent or not numeric. */
  double number(int row) {
    return value(row) instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  static RoaringBitmap all(int rows) {
    RoaringBitmap b = new RoaringBitmap();
    b.add(0L, rows);
    return b;
  }

  static RoaringBitmap fromWords(long[] words) {
    return BitSetUtil.bitmapOf(words);
  }

  static boolean numeric(Filter f) {
    for (Object v : f.values()) {
      if (!(v instanceof Number)) {
        return false;
      }
    }
    return true;
  }

  /** Boxed fallback: one {@link Matcher#testValue} per row. */
  RoaringBitmap selectBoxed(Filter f) {
    long[] w = new long[(rows + 63) >>> 6];
    for (int i = 0; i < rows; i++) {
      if (Matcher.testValue(f, value(i))) {
        w[i >>> 6] |= 1L << i;
      }
    }
    return fromWords(w);
  }

  /** Builds the best-fitting column of boxed values. */
  static Col of(Object[] values) {
    int n = values.length;
    boolean allLong = true;
    boolean allDouble = true;
    boolean allString = true;
    int present = 0;
    for (Object v : values) {
      if (v == null) {
        continue;
      }
      present++;
      allLong &= v instanceof Long || v instanceof Integer;
      allDouble &= v instanceof Double;
      allString &= v instanceof String;
    }
    if (present == 0) {
      return new Dict(new int[n], new String[0], true);
    }
    if (allString) {
      Map<String, Integer> dict = new HashMap<>();
      int[] ids = new int[n];
      for (int i = 0; i < n; i++) {
        Object v = values[i];
        ids[i] = v == null ? -1 : dict.computeIfAbsent((String) v, k -> dict.size());
      }
      String[] words = new String[dict.size()];
      dict.forEach((w, id) -> words[id] = w);
      return new Dict(ids, words, false);
    }
    if (allLong || allDouble) {
      RoaringBitmap p = present == n ? null : new RoaringBitmap();
      if (allLong) {
        long[] a = new long[n];
        boolean ints = true;
        for (int i = 0; i < n; i++) {
          if (values[i] != null) {
            a[i] = ((Number) values[i]).longValue();
            ints &= values[i] instanceof Integer;
          } else {
            p.add(i);
          }
        }
        if (p != null) {
          p.flip(0L, n);
        }
        boolean mixed = !ints && hasInteger(values);
        return mixed ? new Boxed(values) : new Longs(a, p, ints);
      }
      double[] a = new double[n];
      for (int i = 0; i < n; i++) {
        if (values[i] != null) {
          a[i] = (Double) values[i];
        } else {
          p.add(i);
        }
      }
      if (p != null) {
        p.flip(0L, n);
      }
      return new Doubles(a, p);
    }
    return new Boxed(values);
  }

  private static boolean hasInteger(Object[] values) {
    for (Object v : values) {
      if (v instanceof Integer) {
        return true;
      }
    }
    return false;
  }

  /** Whole numbers; {@code present} null when every row has a value. */
  static final class Longs extends Col {
    final long[] v;
    final RoaringBitmap present;
    final boolean ints;

    Longs(long[] v, RoaringBitmap present, boolean ints) {
      super(v.length);
      this.v = v;
      this.present = present;
      this.ints = ints;
    }

    boolean has(int row) {
      return present == null || present.contains(row);
    }

    @Override
    Object value(int row) {
      return !has(row) ? null : ints ? (Object) (int) v[row] : (Object) v[row];
    }

    @Override
    double number(int row) {
      return has(row) ? v[row] : Double.NaN;
    }

    @Override
    long bytes() {
      return 8L * rows + 64 + (present == null ? 0 : present.getSizeInBytes());
    }

    @Override
    RoaringBitmap select(Filter f) {
      if (f.op() == Filter.Op.EXISTS) {
        return present == null ? all(rows) : present.clone();
      }
      if (!numeric(f) || f.op() == Filter.Op.CONTAINS) {
        return selectBoxed(f);
      }
      long[] w = new long[(rows + 63) >>> 6];
      double[] xs = f.values().stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
      double x = xs.length == 0 ? 0 : xs[0];
      switch (f.op()) {
        case EQ, NE -> {
          for (int i = 0; i < rows; i++) {
            if (Double.compare(v[i], x) == 0) {
              w[i >>> 6] |= 1L << i;
            }
          }
        }
        case IN, NOT_IN -> {
          for (int i = 0; i < rows; i++) {
            double d = v[i];
            for (double y : xs) {
              if (Double.compare(d, y) == 0) {
                w[i >>> 6] |= 1L << i;
                break;
              }
            }
          }
        }
        case LT -> {
          for (int i = 0; i < rows; i++) {
            if (Double.compare(v[i], x) < 0) {
              w[i >>> 6] |= 1L << i;
            }
          }
        }
        case LE -> {
          for (int i = 0; i < rows; i++) {
            if (Double.compare(v[i], x) <= 0) {
              w[i >>> 6] |= 1L << i;
            }
          }
        }
        case GT -> {
          for (int i = 0; i < rows; i++) {
            if (Double.compare(v[i], x) > 0) {
              w[i >>> 6] |= 1L << i;
            }
          }
        }
        case GE -> {
          for (int i = 0; i < rows; i++) {
            if (Double.compare(v[i], x) >= 0) {
              w[i >>> 6] |= 1L << i;
            }
          }
        }
        default -> throw new IllegalArgumentException("not a leaf filter: " + f.op());
      }
      RoaringBitmap hit = fromWords(w);
      if (present != null) {
        hit.and(present);
      }
      if (f.op() == Filter.Op.NE || f.op() == Filter.Op.NOT_IN) {
        hit.flip(0L, rows);
      }
      return hit;
    }
  }

  /** Decimals; {@code present} null when every row has a value. */
  static final class Doubles extends Col {
    final double[] v;
    final RoaringBitmap present;

    Doubles(double[] v, RoaringBitmap present) {
      super(v.length);
      this.v = v;
      this.present = present;
    }

    boolean has(int row) {
      return present == null || present.contains(row);
    }

    @Override
    Object value(int row) {
      return has(row) ? v[row] : null;
    }

    @Override
    double number(int row) {
      return has(row) ? v[row] : Double.NaN;
    }

    @Override
    long bytes() {
      return 8L * rows + 64 + (present == null ? 0 : present.getSizeInBytes());
    }

    @Override
    RoaringBitmap select(Filter f) {
      if (f.op() == Filter.Op.EXISTS) {
        return present == null ? all(rows) : present.clone();
      }
      // comparisons of doubles are rare enough in filters to take the boxed path without loss
      return selectBoxed(f);
    }
  }

  /**
   * Strings as ids into {@code words}, -1 where absent. A filter is decided once per word, then per
   * row by id; per-word row bitmaps ({@link #postings}) are built on first use.
   */
  static final class Dict extends Col {
    final int[] ids;
    final String[] words;
    private volatile RoaringBitmap[] postings;

    Dict(int[] ids, String[] words, boolean allAbsent) {
      super(ids.length);
      this.ids = ids;
      this.words = words;
      if (allAbsent) {
        java.util.Arrays.fill(ids, -1);
      }
    }

    @Override
    Object value(int row) {
      int id = ids[row];
      return id < 0 ? null : words[id];
    }

    @Override
    long bytes() {
      long b = 4L * rows + 64;
      for (String w : words) {
        b += 48 + 2L * w.length();
      }
      return b;
    }

    /** Row bitmaps per word id (absent rows in none); built once, for low-cardinality columns. */
    RoaringBitmap[] postings() {
      RoaringBitmap[] p = postings;
      if (p == null) {
        long[][] w = new long[words.length][(rows + 63) >>> 6];
        for (int i = 0; i < rows; i++) {
          int id = ids[i];
          if (id >= 0) {
            w[id][i >>> 6] |= 1L << i;
          }
        }
        p = new RoaringBitmap[words.length];
        for (int k = 0; k < p.length; k++) {
          p[k] = fromWords(w[k]);
          p[k].runOptimize();
        }
        postings = p;
      }
      return p;
    }

    /** The word's id, -1 when absent from this column. */
    int idOf(String word) {
      for (int i = 0; i < words.length; i++) {
        if (words[i].equals(word)) {
          return i;
        }
      }
      return -1;
    }

    @Override
    RoaringBitmap select(Filter f) {
      boolean[] match = new boolean[words.length];
      int matched = 0;
      for (int i = 0; i < words.length; i++) {
        match[i] = Matcher.testValue(f, words[i]);
        matched += match[i] ? 1 : 0;
      }
      boolean nullMatch = Matcher.testValue(f, null);
      if (!nullMatch && words.length <= 64) {
        RoaringBitmap[] p = postings();
        RoaringBitmap out = new RoaringBitmap();
        for (int i = 0; i < words.length; i++) {
          if (match[i]) {
            out.or(p[i]);
          }
        }
        return out;
      }
      if (!nullMatch && matched == 0) {
        return new RoaringBitmap();
      }
      long[] w = new long[(rows + 63) >>> 6];
      for (int i = 0; i < rows; i++) {
        int id = ids[i];
        if (id < 0 ? nullMatch : match[id]) {
          w[i >>> 6] |= 1L << i;
        }
      }
      return fromWords(w);
    }
  }

  /** Mixed values, boxed. */
  static final class Boxed extends Col {
    final Object[] v;

    Boxed(Object[] v) {
      super(v.length);
      this.v = v;
    }

    @Override
    Object value(int row) {
      return v[row];
    }

    @Override
    long bytes() {
      return 40L * rows + 64;
    }

    @Override
    RoaringBitmap select(Filter f) {
      return selectBoxed(f);
    }
  }
}
