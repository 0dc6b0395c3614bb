package dev.weir.definitions;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a regular expression over a string with a step budget and the evaluation's deadline:
 * java.util.regex backtracks, so a pattern such as {@code ^(a+)+$} can take exponential time. The
 * matcher reads its input only through {@link CharSequence#charAt}, so counting those reads bounds
 * the work, and the deadline is checked every few thousand reads. The regex builtins scan once this
 * way before JSONata's own implementation does the same matching on the same input. Stateless.
 */
final class BoundedRegex {
  /** Character reads one regex builtin may make (a linear pass over 1 Mi characters is ~1 Mi). */
  static final long MAX_STEPS = 20_000_000L;

  private BoundedRegex() {}

  /**
   * The number of non-overlapping matches of {@code p} in {@code s} (at most one when {@code
   * first}); throws {@link TemplateException} when the budget or the deadline runs out.
   */
  static long scan(Pattern p, String s, boolean first) {
    Guarded in = new Guarded(s, p, Template.Guard.current());
    Matcher m = p.matcher(in);
    long n = 0;
    while (m.find()) {
      n++;
      if (first) {
        break;
      }
    }
    return n;
  }

  private static final class Guarded implements CharSequence {
    private final String s;
    private final int offset;
    private final int length;
    private final Pattern pattern;
    private final Template.Guard guard;
    private final long[] steps;

    Guarded(String s, Pattern pattern, Template.Guard guard) {
      this(s, 0, s.length(), pattern, guard, new long[1]);
    }

    private Guarded(
        String s, int offset, int length, Pattern pattern, Template.Guard guard, long[] steps) {
      this.s = s;
      this.offset = offset;
      this.length = length;
      this.pattern = pattern;
      this.guard = guard;
      this.steps = steps;
    }

    @Override
    public char charAt(int index) {
      long n = ++steps[0];
      if ((n & 4095) == 0) {
        if (n > MAX_STEPS) {
          throw new TemplateException(
              "the regular expression /"
                  + abbreviate(pattern.pattern())
                  + "/ took more than "
                  + MAX_STEPS
                  + " steps on a "
                  + s.length()
                  + "-character string (it backtracks; simplify it)",
              null);
        }
        if (guard.pastDeadline()) {
          throw new TemplateException(
              "the regular expression /"
                  + abbreviate(pattern.pattern())
                  + "/ ran past the "
                  + guard.limits.timeoutMillis()
                  + " ms limit",
              null);
        }
      }
      return s.charAt(offset + index);
    }

    @Override
    public int length() {
      return length;
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new Guarded(s, offset + start, end - start, pattern, guard, steps);
    }

    @Override
    public String toString() {
      return s.substring(offset, offset + length);
    }
  }

  private static String abbreviate(String p) {
    return p.length() <= 40 ? p : p.substring(0, 40) + "...";
  }
}
