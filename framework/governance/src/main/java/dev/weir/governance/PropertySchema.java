package dev.weir.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One compiled property schema of a plan (an event's {@code event_properties}, the plan's {@code
 * user_properties}, ...) plus which top-level property names it plans. Immutable and thread-safe.
 *
 * <p>A name is planned when it is listed under {@code properties}, matches a {@code
 * patternProperties} pattern, or the schema leaves {@code additionalProperties} open with a
 * non-false value. Names are collected from the schema itself and from its {@code allOf}/{@code
 * anyOf}/{@code oneOf}/{@code then}/{@code else} branches ({@code $ref}s are not followed).
 */
final class PropertySchema {
  private final Schema schema;
  private final JsonNode node;
  private final Set<String> names;
  private final List<Pattern> patterns;
  private final boolean open;
  private final FastCheck fast;

  private PropertySchema(
      Schema schema, JsonNode node, Set<String> names, List<Pattern> patterns, boolean open) {
    this.schema = schema;
    this.node = node;
    this.names = names;
    this.patterns = patterns;
    this.open = open;
    this.fast = FastCheck.compile(node);
  }

  static PropertySchema of(Schema schema, JsonNode node) {
    Set<String> names = new HashSet<>();
    List<Pattern> patterns = new ArrayList<>();
    boolean[] open = {false};
    collect(node, names, patterns, open);
    return new PropertySchema(schema, node, Set.copyOf(names), List.copyOf(patterns), open[0]);
  }

  private static void collect(
      JsonNode node, Set<String> names, List<Pattern> patterns, boolean[] open) {
    if (node == null || !node.isObject()) {
      return;
    }
    JsonNode props = node.get("properties");
    if (props != null && props.isObject()) {
      props.fieldNames().forEachRemaining(names::add);
    }
    JsonNode pp = node.get("patternProperties");
    if (pp != null && pp.isObject()) {
      for (Iterator<String> it = pp.fieldNames(); it.hasNext(); ) {
        try {
          patterns.add(Pattern.compile(it.next()));
        } catch (PatternSyntaxException e) {
          // The validator reports the pattern; here it simply plans nothing.
        }
      }
    }
    JsonNode ap = node.get("additionalProperties");
    if (ap != null && !(ap.isBoolean() && !ap.booleanValue())) {
      open[0] = true;
    }
    for (String key : List.of("allOf", "anyOf", "oneOf")) {
      JsonNode list = node.get(key);
      if (list != null && list.isArray()) {
        list.forEach(n -> collect(n, names, patterns, open));
      }
    }
    collect(node.get("then"), names, patterns, open);
    collect(node.get("else"), names, patterns, open);
  }

  Schema schema() {
    return schema;
  }

  /**
   * True when {@code value} certainly passes this schema, decided on the event's own maps without a
   * JSON tree; false means "run the full validator" (see {@link FastCheck}).
   */
  boolean certainlyValid(Object value) {
    return fast != null && fast.valid(value);
  }

  JsonNode node() {
    return node;
  }

  boolean plans(String name) {
    if (open || names.contains(name)) {
      return true;
    }
    for (Pattern p : patterns) {
      if (p.matcher(name).find()) {
        return true;
      }
    }
    return false;
  }
}
