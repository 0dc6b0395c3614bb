package dev.weir.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Settings;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks settings and settings schemas the way the host does: validation with networknt
 * json-schema-validator (2.x) after applying the schema's {@code default}s, plus the completeness
 * rules of the conformance suite. Stateless and thread-safe.
 */
public final class SettingsCheck {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  /** Field names that hold secrets by convention: they must be marked {@code "secret": true}. */
  static final Pattern SECRET_NAME =
      Pattern.compile("(?i).*(key|token|secret|password|passwd|credentials?)$");

  private SettingsCheck() {}

  /**
   * Validates {@code values} against the spec's schema, applies defaults, and returns them as
   * {@link Settings}.
   *
   * @throws IllegalArgumentException listing every violation, by path
   */
  public static Settings validate(ConnectorSpec spec, Map<String, ?> values) {
    JsonNode schemaNode = parse(spec);
    ObjectNode settings = JSON.valueToTree(values);
    applyDefaults(schemaNode, settings);
    Schema schema = REGISTRY.getSchema(spec.settingsSchema(), InputFormat.JSON);
    List<String> problems = new ArrayList<>();
    for (Error e : schema.validate(settings)) {
      String at = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
      problems.add(
          (e.getProperty() != null ? at + "/" + e.getProperty() : at) + ": " + e.getMessage());
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("settings of " + spec + " are invalid: " + problems);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = JSON.convertValue(settings, LinkedHashMap.class);
    return Settings.of(map);
  }

  /** Dotted paths of the settings fields marked {@code "secret": true}. */
  public static Set<String> secretPaths(ConnectorSpec spec) {
    Set<String> out = new LinkedHashSet<>();
    walk(
        parse(spec),
        "",
        (path, field) -> {
          if (field.path("secret").asBoolean(false)) {
            out.add(path);
          }
        });
    return out;
  }

  /**
   * What makes a schema incomplete: a field without a {@code type} or a {@code description}, or a
   * field whose name says it holds a secret ({@code *key}, {@code *token}, {@code *secret}, {@code
   * *password}) but is not marked {@code "secret": true}. Empty when the schema is complete.
   */
  public static List<String> completenessProblems(ConnectorSpec spec) {
    List<String> out = new ArrayList<>();
    JsonNode root = parse(spec);
    if (!"object".equals(root.path("type").asText())) {
      out.add("(root): the settings schema must be of type object");
    }
    walk(
        root,
        "",
        (path, field) -> {
          if (!field.has("type") && !field.has("enum") && !field.has("const")) {
            out.add(path + ": no type");
          }
          if (field.path("description").asText("").isBlank()) {
            out.add(path + ": no description");
          }
          String name = path.substring(path.lastIndexOf('.') + 1);
          if (SECRET_NAME.matcher(name).matches()
              && !field.path("secret").asBoolean(false)
              && !underSecret(root, path)) {
            out.add(
                path + ": its name says it holds a secret but it is not marked \"secret\": true");
          }
        });
    return out;
  }

  /**
   * Values at the secret paths of {@code values} (nested objects and lists flattened to their
   * strings).
   */
  static Set<String> secretValues(ConnectorSpec spec, Map<String, ?> values) {
    Set<String> out = new LinkedHashSet<>();
    for (String path : secretPaths(spec)) {
      Object v = values;
      for (String seg : path.split("\\.")) {
        v = v instanceof Map<?, ?> m ? m.get(seg) : null;
      }
      collectStrings(v, out);
    }
    return out;
  }

  private static void collectStrings(Object v, Set<String> out) {
    if (v instanceof Map<?, ?> m) {
      m.values().forEach(x -> collectStrings(x, out));
    } else if (v instanceof List<?> l) {
      l.forEach(x -> collectStrings(x, out));
    } else if (v != null && String.valueOf(v).length() >= 4) {
      out.add(String.valueOf(v));
    }
  }

  private static boolean underSecret(JsonNode root, String path) {
    JsonNode at = root;
    for (String seg : path.split("\\.")) {
      at = at.path("properties").path(seg);
      if (at.path("secret").asBoolean(false)) {
        return true;
      }
    }
    return false;
  }

  private interface FieldVisitor {
    void field(String path, JsonNode schema);
  }

  private static void walk(JsonNode schema, String prefix, FieldVisitor visitor) {
    JsonNode props = schema.get("properties");
    if (props == null || !props.isObject()) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      visitor.field(path, e.getValue());
      walk(e.getValue(), path, visitor);
      if (e.getValue().has("items")) {
        walk(e.getValue().get("items"), path + "[]", visitor);
      }
    }
  }

  private static JsonNode parse(ConnectorSpec spec) {
    try {
      return JSON.readTree(spec.settingsSchema());
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "settings schema of " + spec + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  private static void applyDefaults(JsonNode schema, ObjectNode target) {
    JsonNode props = schema.get("properties");
    if (props == null || !props.isObject()) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode value = target.get(e.getKey());
      if ((value == null || value.isNull()) && e.getValue().has("default")) {
        target.set(e.getKey(), e.getValue().get("default").deepCopy());
      } else if (value instanceof ObjectNode child) {
        applyDefaults(e.getValue(), child);
      }
    }
  }
}
