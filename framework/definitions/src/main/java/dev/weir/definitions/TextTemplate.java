package dev.weir.definitions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A string with {@code {{ expr }}} parts, each a JSONata {@link Template}; used for URLs, headers,
 * query values and auth fields. Immutable and thread-safe.
 */
final class TextTemplate {
  private final String source;
  private final List<Object> parts;

  private TextTemplate(String source, List<Object> parts) {
    this.source = source;
    this.parts = parts;
  }

  /** Compiles {@code source}; throws {@link TemplateException} naming the broken part. */
  static TextTemplate compile(String source) {
    List<Object> parts = new ArrayList<>();
    int i = 0;
    while (i < source.length()) {
      int open = source.indexOf("{{", i);
      if (open < 0) {
        parts.add(source.substring(i));
        break;
      }
      int close = source.indexOf("}}", open + 2);
      if (close < 0) {
        throw new TemplateException(
            "'{{' at character " + open + " is never closed with '}}'", null);
      }
      if (open > i) {
        parts.add(source.substring(i, open));
      }
      String expr = source.substring(open + 2, close).strip();
      if (expr.isEmpty()) {
        throw new TemplateException("empty '{{ }}' at character " + open, null);
      }
      try {
        parts.add(Template.compile(expr));
      } catch (TemplateException e) {
        throw new TemplateException("expression '" + expr + "' " + e.getMessage(), null);
      }
      i = close + 2;
    }
    return new TextTemplate(source, List.copyOf(parts));
  }

  static TextTemplate literal(String s) {
    return new TextTemplate(s, List.of(s));
  }

  String source() {
    return source;
  }

  /** The text with every expression replaced by its value; undefined values render as empty. */
  String render(Map<String, ?> input) {
    if (parts.size() == 1 && parts.get(0) instanceof String s) {
      return s;
    }
    StringBuilder b = new StringBuilder();
    for (Object p : parts) {
      if (p instanceof String s) {
        b.append(s);
      } else {
        Object v = ((Template) p).evaluate(input);
        if (v != null) {
          b.append(
              v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15
                  ? Long.toString(d.longValue())
                  : v.toString());
        }
      }
    }
    return b.toString();
  }
}
