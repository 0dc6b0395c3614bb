package dev.weir.host.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.weir.sdk.ConnectorSpec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates a connection's settings against its connector's JSON Schema (networknt
 * json-schema-validator, 2.x API), after applying the schema's {@code default}s and coercing
 * strings to the declared scalar types (environment references always resolve to strings). Compiled
 * schemas are cached; thread-safe.
 */
final class SettingsValidator {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private static final Map<String, SettingsValidator> CACHE = new ConcurrentHashMap<>();

  private final JsonNode schemaNode;
  private final Schema schema;

  private SettingsValidator(String schemaText) {
    try {
      this.schemaNode = MAPPER.readTree(schemaText);
    } catch (Exception e) {
      throw new IllegalArgumentException("settings schema is not valid JSON: " + e.getMessage(), e);
    }
    this.schema = REGISTRY.getSchema(schemaText, InputFormat.JSON);
  }

  static SettingsValidator of(ConnectorSpec spec) {
    return CACHE.computeIfAbsent(spec.settingsSchema(), SettingsValidator::new);
  }

  /**
   * One problem: the path inside settings ({@code url}, {@code write_keys[0]}) and what is wrong.
   */
  record Problem(String path, String message) {}

  /**
   * Applies defaults and coercions to {@code settings} in place, then returns every schema
   * violation.
   */
  List<Problem> validate(ObjectNode settings) {
    applyDefaults(schemaNode, settings);
    List<Problem> out = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (Error e : schema.validate(settings)) {
      Problem p = describe(e);
      if (seen.add(p.path() + "\u0000" + p.message())) {
        out.add(p);
      }
    }
    return out;
  }

  /** Top-level and nested property names marked {@code "secret": true}, as dotted paths. */
  static Set<String> secretPaths(ConnectorSpec spec) {
    Set<String> out = new LinkedHashSet<>();
    collectSecrets(of(spec).schemaNode, "", out);
    return out;
  }

  private static void collectSecrets(JsonNode schema, String prefix, Set<String> out) {
    JsonNode props = schema.get("properties");
    if (props == null || !props.isObject()) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      if (e.getValue().path("secret").asBoolean(false)) {
        out.add(path);
      } else {
        collectSecrets(e.getValue(), path, out);
      }
    }
  }

  private Problem describe(Error e) {
    String path =
        location(e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString());
    String keyword = e.getKeyword() == null ? "" : e.getKeyword();
    String property = e.getProperty();
    if (keyword.equals("required") && property != null) {
      return new Problem(join(path, property), "required property missing");
    }
    if (keyword.equals("additionalProperties") && property != null) {
      return new Problem(
          join(path, property), "unknown setting" + Suggestions.hint(property, known(path)));
    }
    String msg = e.getMessage() == null ? keyword : e.getMessage();
    String loc = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
    if (!loc.isEmpty() && msg.startsWith(loc + ": ")) {
      msg = msg.substring(loc.length() + 2);
    }
    return new Problem(path, msg);
  }

  /**
   * The property names the schema declares for the object at {@code path} (dotted, with [i] for
   * items).
   */
  private Set<String> known(String path) {
    JsonNode at = schemaNode;
    if (!path.isEmpty()) {
      for (String seg : path.replaceAll("\\[\\d+]", ".[]").split("\\.")) {
        if (seg.isEmpty()) {
          continue;
        }
        at = seg.equals("[]") ? at.path("items") : at.path("properties").path(seg);
      }
    }
    Set<String> out = new LinkedHashSet<>();
    at.path("properties").fieldNames().forEachRemaining(out::add);
    return out;
  }

  /** {@code $.a.b[0]} or the JSON pointer {@code /a/b/0} as {@code a.b[0]}. */
  static String location(String raw) {
    if (raw.startsWith("/") || raw.isEmpty()) {
      StringBuilder sb = new StringBuilder();
      for (String seg : raw.split("/")) {
        if (seg.isEmpty()) {
          continue;
        }
        String s = seg.replace("~1", "/").replace("~0", "~");
        if (s.matches("\\d+")) {
          sb.append('[').append(s).append(']');
        } else {
          sb.append(sb.length() == 0 ? "" : ".").append(s);
        }
      }
      return sb.toString();
    }
    String s = raw.startsWith("$") ? raw.substring(1) : raw;
    return s.startsWith(".") ? s.substring(1) : s;
  }

  private static String join(String path, String property) {
    return path.isEmpty() ? property : path + "." + property;
  }

  private static void applyDefaults(JsonNode schema, ObjectNode target) {
    JsonNode props = schema.get("properties");
    if (props == null || !props.isObject()) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode propSchema = e.getValue();
      JsonNode value = target.get(e.getKey());
      if (value == null || value.isNull()) {
        if (propSchema.has("default")) {
          target.set(e.getKey(), propSchema.get("default").deepCopy());
        }
        continue;
      }
      String type = propSchema.path("type").asText("");
      if (value.isTextual()) {
        JsonNode coerced = coerce(value.textValue(), type);
        if (coerced != null) {
          target.set(e.getKey(), coerced);
        }
      } else if (value instanceof ObjectNode child) {
        applyDefaults(propSchema, child);
      }
    }
  }

  private static JsonNode coerce(String text, String type) {
    String t = text.trim();
    switch (type) {
      case "integer" -> {
        if (t.matches("-?\\d{1,18}")) {
          long v = Long.parseLong(t);
          return v == (int) v ? IntNode.valueOf((int) v) : LongNode.valueOf(v);
        }
      }
      case "number" -> {
        try {
          return DoubleNode.valueOf(Double.parseDouble(t));
        } catch (NumberFormatException ignored) {
          return null;
        }
      }
      case "boolean" -> {
        if (t.equals("true") || t.equals("false")) {
          return BooleanNode.valueOf(Boolean.parseBoolean(t));
        }
      }
      default -> {
        return null;
      }
    }
    return null;
  }
}
