package dev.weir.definitions;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.dashjoin.jsonata.Parser;
import java.util.Collection;

/**
 * One compiled JSONata expression, evaluated in a sandbox: only the JSON input and the registered
 * helpers are visible (JSONata has no file, network, class or reflection access), and every
 * evaluation is bounded in time, nesting depth and size of any intermediate string or array.
 * Thread-safe: each thread evaluates its own compiled copy, since the library keeps per-evaluation
 * state in the expression object.
 */
final class Template {
  /**
   * Limits that apply to every evaluation: time, nesting depth, the size of any one string or
   * array, and the characters and array items produced in all (so a loop of results each under the
   * per-value cap still cannot exhaust the heap).
   */
  record Limits(
      long timeoutMillis,
      int maxDepth,
      int maxStringChars,
      int maxArrayItems,
      long maxTotalChars,
      long maxTotalItems) {
    static final Limits DEFAULT = new Limits(1000, 200, 1 << 20, 100_000);

    Limits(long timeoutMillis, int maxDepth, int maxStringChars, int maxArrayItems) {
      this(
          timeoutMillis,
          maxDepth,
          maxStringChars,
          maxArrayItems,
          Math.max(32L << 20, 32L * maxStringChars),
          Math.max(4_000_000L, 40L * maxArrayItems));
    }
  }

  private final String source;
  private final Limits limits;
  private final ThreadLocal<Jsonata> compiled;

  private Template(String source, Limits limits, Jsonata first) {
    this.source = source;
    this.limits = limits;
    this.compiled = ThreadLocal.withInitial(() -> compile0(source));
    this.compiled.set(first);
  }

  /**
   * Compiles {@code source}; throws {@link TemplateException} with the position when it is not
   * valid JSONata.
   */
  static Template compile(String source) {
    return compile(source, Limits.DEFAULT);
  }

  static Template compile(String source, Limits limits) {
    checkSource(source, limits);
    return new Template(source, limits, compile0(source));
  }

  /** The longest expression compiled: compile time grows faster than linearly with the text. */
  static final int MAX_SOURCE_CHARS = 16 * 1024;

  /**
   * Bounds compilation by the input: refuses a source longer than {@link #MAX_SOURCE_CHARS} or
   * nested (brackets outside string literals) deeper than the depth limit, before the parser sees
   * it.
   */
  private static void checkSource(String source, Limits limits) {
    if (source.length() > MAX_SOURCE_CHARS) {
      throw new TemplateException(
          "the expression is "
              + source.length()
              + " characters long; at most "
              + MAX_SOURCE_CHARS
              + " are compiled (move large constants into settings)",
          null);
    }
    int depth = 0;
    char quote = 0;
    for (int i = 0; i < source.length(); i++) {
      char c = source.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'' || c == '`') {
        quote = c;
      } else if (c == '(' || c == '[' || c == '{') {
        if (++depth > limits.maxDepth()) {
          throw new TemplateException(
              "the expression is nested deeper than "
                  + limits.maxDepth()
                  + " at character "
                  + (i + 1),
              null);
        }
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      }
    }
  }

  private static Jsonata compile0(String source) {
    try {
      return Jsonata.jsonata(source);
    } catch (JException e) {
      throw new TemplateException(
          "does not compile at character " + e.getLocation() + ": " + e.getMessage(), e);
    } catch (RuntimeException | StackOverflowError e) {
      throw new TemplateException("does not compile: " + e, e);
    }
  }

  String source() {
    return source;
  }

  /**
   * Evaluates against {@code input} (JSON-like maps, lists and scalars) and returns JSON-like
   * values; undefined results are null. Throws {@link TemplateException} on any error, including a
   * breached limit.
   */
  Object evaluate(Object input) {
    return evaluate(input, java.util.Map.of());
  }

  /** Like {@link #evaluate(Object)} with extra variables, such as {@code $settings}. */
  Object evaluate(Object input, java.util.Map<String, ?> vars) {
    Jsonata expr = compiled.get();
    Jsonata.Frame frame = expr.createFrame();
    MappingFunctions.bindAll(frame);
    vars.forEach(frame::bind);
    Guard guard = new Guard(limits);
    frame.setEvaluateEntryCallback(guard::enter);
    frame.setEvaluateExitCallback(guard::exit);
    Guard outer = Guard.CURRENT.get();
    Guard.CURRENT.set(guard);
    try {
      Object result = expr.evaluate(input, frame);
      return result == Jsonata.NULL_VALUE ? null : result;
    } catch (TemplateException e) {
      throw e;
    } catch (JException e) {
      Throwable cause = e.getCause();
      if (cause instanceof TemplateException te) {
        throw te;
      }
      throw new TemplateException(e.getMessage(), e);
    } catch (StackOverflowError e) {
      throw new TemplateException("recursion too deep", null);
    } catch (RuntimeException e) {
      Throwable c = e;
      while (c.getCause() != null && c.getCause() != c) {
        if (c.getCause() instanceof TemplateException te) {
          throw te;
        }
        c = c.getCause();
      }
      throw new TemplateException(String.valueOf(e.getMessage()), e);
    } finally {
      if (outer == null) {
        Guard.CURRENT.remove();
      } else {
        Guard.CURRENT.set(outer);
      }
    }
  }

  /**
   * Per-evaluation bookkeeping of depth, elapsed time and result sizes. The evaluating thread
   * checks it on every step, and builtins that could run long or allocate much inside one step
   * (regular expressions, {@code $join}, {@code $pad}, {@code $replace}) check it before and while
   * they work, so the thread itself stops at the deadline.
   */
  static final class Guard {
    /** The guard of the evaluation running on this thread, for the builtins (null outside). */
    static final ThreadLocal<Guard> CURRENT = new ThreadLocal<>();

    private static final Guard NONE = new Guard(Limits.DEFAULT);

    final Limits limits;
    private final long deadline;
    private int depth;
    private long chars;
    private long items;

    /** The guard in force on this thread, or one with the default limits. */
    static Guard current() {
      Guard g = CURRENT.get();
      return g == null ? NONE : g;
    }

    Guard(Limits limits) {
      this.limits = limits;
      this.deadline = System.nanoTime() + limits.timeoutMillis() * 1_000_000L;
    }

    void enter(Parser.Symbol expr, Object input, Jsonata.Frame env) {
      depth++;
      if (depth > limits.maxDepth()) {
        throw new TemplateException(
            "expression nesting or recursion deeper than " + limits.maxDepth(), null);
      }
      if (System.nanoTime() > deadline) {
        throw new TemplateException(
            "evaluation took longer than " + limits.timeoutMillis() + " ms", null);
      }
    }

    void exit(Parser.Symbol expr, Object input, Jsonata.Frame env, Object result) {
      depth--;
      if (result instanceof CharSequence s) {
        if (s.length() > limits.maxStringChars()) {
          throw new TemplateException(
              "a string grew beyond " + limits.maxStringChars() + " characters", null);
        }
        chars += s.length();
        if (chars > limits.maxTotalChars()) {
          throw new TemplateException(
              "the expression produced more than " + limits.maxTotalChars() + " characters in all",
              null);
        }
      }
      if (result instanceof Collection<?> c) {
        if (c.size() > limits.maxArrayItems()) {
          throw new TemplateException(
              "an array grew beyond " + limits.maxArrayItems() + " items", null);
        }
        items += c.size();
        if (items > limits.maxTotalItems()) {
          throw new TemplateException(
              "the expression produced more than " + limits.maxTotalItems() + " array items in all",
              null);
        }
      }
      checkTime();
    }

    boolean pastDeadline() {
      return System.nanoTime() > deadline;
    }

    /** Throws once the deadline has passed. */
    void checkTime() {
      if (System.nanoTime() > deadline) {
        throw new TemplateException(
            "evaluation took longer than " + limits.timeoutMillis() + " ms", null);
      }
    }

    /** Throws unless a string of {@code length} characters (counted in long) may be built. */
    void checkString(String what, long length) {
      if (length > limits.maxStringChars()) {
        throw new TemplateException(
            what + " of " + length + " characters exceeds the limit of " + limits.maxStringChars(),
            null);
      }
    }
  }
}
