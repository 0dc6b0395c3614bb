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
  /** Limits that apply to every evaluation. */
  record Limits(long timeoutMillis, int maxDepth, int maxStringChars, int maxArrayItems) {
    static final Limits DEFAULT = new Limits(1000, 200, 1 << 20, 100_000);
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
    return new Template(source, limits, compile0(source));
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
    Helpers.bindAll(frame);
    vars.forEach(frame::bind);
    Guard guard = new Guard(limits);
    frame.setEvaluateEntryCallback(guard::enter);
    frame.setEvaluateExitCallback(guard::exit);
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
    }
  }

  /** Per-evaluation bookkeeping of depth, elapsed time and result sizes. */
  private static final class Guard {
    private final Limits limits;
    private final long deadline;
    private int depth;

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
      if (result instanceof CharSequence s && s.length() > limits.maxStringChars()) {
        throw new TemplateException(
            "a string grew beyond " + limits.maxStringChars() + " characters", null);
      }
      if (result instanceof Collection<?> c && c.size() > limits.maxArrayItems()) {
        throw new TemplateException(
            "an array grew beyond " + limits.maxArrayItems() + " items", null);
      }
      if (System.nanoTime() > deadline) {
        throw new TemplateException(
            "evaluation took longer than " + limits.timeoutMillis() + " ms", null);
      }
    }
  }
}
