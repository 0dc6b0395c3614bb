package dev.weir.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
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
import java.util.concurrent.ConcurrentHashMap;

/**
 * A connector's settings JSON Schema, compiled once: validation (after applying the schema's {@code
 * default}s and coercing strings to declared scalar types, since references always resolve to
 * strings), the paths it marks {@code "secret": true}, and masked copies for output. The one place
 * settings are checked: the host, the admin API, partner definitions and the test kit all use it.
 * Immutable and thread-safe; instances are cached by schema text.
 *
 * <p><b>Secrets</b> may be declared at any depth: a property marked {@code "secret": true} under
 * {@code properties} or under an array's {@code items} makes its whole value secret (every string
 * beneath it). Paths are dotted, with {@code []} for "every item of this list" ({@code
 * credentials[].password}).
 */
public final class SettingsSchema {
  /** What secret settings look like in output. */
  public static final String MASK = Redactor.MASK;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(
          SpecificationVersion.DRAFT_2020_12,
          b -> b.schemaLoader(loader -> loader.fetchRemoteResources(false)));
  private static final Map<String, SettingsSchema> CACHE = new ConcurrentHashMap<>();

  private final JsonNode root;
  private final Schema schema;
  private final Set<String> secretPaths;

  private SettingsSchema(String schemaText) {
    try {
      this.root = JSON.readTree(schemaText);
    } catch (Exception e) {
      throw new IllegalArgumentException("settings schema is not valid JSON: " + e.getMessage(), e);
    }
    this.schema =
        REGISTRY.getSchema(
            SchemaLocation.of("https://connectors.weir.invalid/settings.json"), root);
    Set<String> secrets = new LinkedHashSet<>();
    collectSecrets(root, "", secrets);
    this.secretPaths = Set.copyOf(secrets);
    this.orderedSecretPaths = List.copyOf(secrets);
  }

  private final List<String> orderedSecretPaths;

  /** The compiled schema of this connector's settings. */
  public static SettingsSchema of(ConnectorSpec spec) {
    return of(spec.settingsSchema());
  }

  /**
   * The compiled schema for this JSON Schema text.
   *
   * @throws IllegalArgumentException when the text is not JSON
   */
  public static SettingsSchema of(String schemaText) {
    return CACHE.computeIfAbsent(schemaText, SettingsSchema::new);
  }

  /** The schema as parsed JSON (do not modify). */
  public JsonNode json() {
    return root;
  }

  /**
   * Applies defaults and coercions to {@code settings} in place, then returns every violation
   * (duplicates removed), in the validator's order.
   */
  public List<SettingsProblem> validate(ObjectNode settings) {
    applyDefaults(root, settings);
    List<SettingsProblem> out = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (Error e : schema.validate(settings)) {
      SettingsProblem p = describe(e);
      if (seen.add(p.path() + "\u0000" + p.message())) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * Validates JSON-like {@code values} (maps, lists, strings, numbers, booleans), applying defaults
   * and coercions, and returns them as {@link Settings}.
   *
   * @throws InvalidSettingsException listing every problem, by path
   */
  public Settings resolve(String connector, Map<String, ?> values) {
    ObjectNode settings = JSON.valueToTree(values);
    List<SettingsProblem> problems = validate(settings);
    if (!problems.isEmpty()) {
      throw new InvalidSettingsException(connector, problems);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = JSON.convertValue(settings, LinkedHashMap.class);
    return Settings.of(map);
  }

  /**
   * The paths of the properties marked {@code "secret": true}, in schema order: dotted, with {@code
   * []} for list items. A secret's children are not listed (they are all secret).
   */
  public List<String> secretPaths() {
    return orderedSecretPaths;
  }

  /** Whether the value at {@code path} (dotted, {@code [i]} or {@code []} for items) is secret. */
  public boolean isSecret(String path) {
    String p = path.replaceAll("\\[\\d*]", "[]");
    for (String s : secretPaths) {
      if (p.equals(s) || p.startsWith(s + ".") || p.startsWith(s + "[]")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Every string held at a secret path of {@code values} (nested maps and lists flattened to their
   * strings; numbers and booleans as text). What a {@link Redactor} must hide.
   */
  public Set<String> secretValues(Map<String, ?> values) {
    Set<String> out = new LinkedHashSet<>();
    for (String path : orderedSecretPaths) {
      collectAt(values, path.split("\\."), 0, out);
    }
    return out;
  }

  /**
   * A copy of {@code settings} with every value at a secret path replaced by {@link #MASK}, keeping
   * the shape (a list of keys still shows how many there are).
   */
  public JsonNode masked(JsonNode settings) {
    JsonNode copy = settings.deepCopy();
    for (String path : orderedSecretPaths) {
      maskAt(copy, path.split("\\."), 0);
    }
    return copy;
  }

  /**
   * What makes a schema incomplete: a field without a {@code type} or a {@code description}, or a
   * field whose name says it holds a secret ({@code *key}, {@code *token}, {@code *secret}, {@code
   * *password}) but is neither marked {@code "secret": true} nor inside a secret. Empty when the
   * schema is complete.
   */
  public List<String> completenessProblems() {
    List<String> out = new ArrayList<>();
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
          if (SECRET_NAME.matcher(name).matches() && !isSecret(path)) {
            out.add(
                path + ": its name says it holds a secret but it is not marked \"secret\": true");
          }
        });
    return out;
  }

  /** Field names that hold secrets by convention. */
  private static final java.util.regex.Pattern SECRET_NAME =
      java.util.regex.Pattern.compile("(?i).*(key|token|secret|password|passwd|credentials?)$");

  // --- secrets -----------------------------------------------------------------------------

  private static void collectSecrets(JsonNode schema, String prefix, Set<String> out) {
    JsonNode props = schema.get("properties");
    if (props != null && props.isObject()) {
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
    JsonNode items = schema.get("items");
    if (items != null && items.isObject() && !prefix.isEmpty()) {
      if (items.path("secret").asBoolean(false)) {
        out.add(prefix + "[]");
      } else {
        collectSecrets(items, prefix + "[]", out);
      }
    }
  }

  /** Segments are property names, each optionally followed by {@code []} (every item). */
  private static void collectAt(Object value, String[] segs, int i, Set<String> out) {
    if (i == segs.length) {
      collectStrings(value, out);
      return;
    }
    String seg = segs[i];
    boolean each = seg.endsWith("[]");
    String name = each ? seg.substring(0, seg.length() - 2) : seg;
    Object v = value instanceof Map<?, ?> m ? m.get(name) : null;
    if (each) {
      if (v instanceof List<?> l) {
        l.forEach(x -> collectAt(x, segs, i + 1, out));
      }
    } else {
      collectAt(v, segs, i + 1, out);
    }
  }

  private static void collectStrings(Object v, Set<String> out) {
    if (v instanceof Map<?, ?> m) {
      m.values().forEach(x -> collectStrings(x, out));
    } else if (v instanceof List<?> l) {
      l.forEach(x -> collectStrings(x, out));
    } else if (v instanceof JsonNode n) {
      if (n.isContainerNode()) {
        n.forEach(x -> collectStrings(x, out));
      } else if (!n.isNull()) {
        out.add(n.asText());
      }
    } else if (v != null) {
      out.add(String.valueOf(v));
    }
  }

  private static void maskAt(JsonNode node, String[] segs, int i) {
    if (!(node instanceof ObjectNode o)) {
      return;
    }
    String seg = segs[i];
    boolean each = seg.endsWith("[]");
    String name = each ? seg.substring(0, seg.length() - 2) : seg;
    JsonNode v = o.get(name);
    if (v == null || v.isNull()) {
      return;
    }
    boolean last = i == segs.length - 1;
    if (each) {
      if (v instanceof ArrayNode a) {
        for (int k = 0; k < a.size(); k++) {
          if (last) {
            a.set(k, maskAll(a.get(k)));
          } else {
            maskAt(a.get(k), segs, i + 1);
          }
        }
      }
    } else if (last) {
      o.set(name, maskAll(v));
    } else {
      maskAt(v, segs, i + 1);
    }
  }

  private static JsonNode maskAll(JsonNode v) {
    if (v instanceof ObjectNode o) {
      ObjectNode c = o.objectNode();
      o.fields().forEachRemaining(e -> c.set(e.getKey(), maskAll(e.getValue())));
      return c;
    }
    if (v instanceof ArrayNode a) {
      ArrayNode c = a.arrayNode();
      a.forEach(x -> c.add(maskAll(x)));
      return c;
    }
    return TextNode.valueOf(MASK);
  }

  // --- validation messages -----------------------------------------------------------------

  private SettingsProblem describe(Error e) {
    String raw = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
    String path = location(raw);
    String keyword = e.getKeyword() == null ? "" : e.getKeyword();
    String property = e.getProperty();
    if (keyword.equals("required") && property != null) {
      return new SettingsProblem(
          join(path, property),
          keyword,
          "required property missing" + expected(join(path, property)));
    }
    if (keyword.equals("additionalProperties") && property != null) {
      return new SettingsProblem(
          join(path, property),
          keyword,
          "unknown setting" + Suggestions.hint(property, known(path)));
    }
    String msg = e.getMessage() == null ? keyword : e.getMessage();
    if (!raw.isEmpty() && msg.startsWith(raw + ": ")) {
      msg = msg.substring(raw.length() + 2);
    }
    return new SettingsProblem(path, keyword, msg + expected(path));
  }

  /**
   * What the schema says the setting at {@code path} should hold, from its {@code description} and
   * first {@code examples} entry: " (Pixel id from Events Manager; e.g. 1234567890)", or "".
   */
  private String expected(String path) {
    JsonNode at = root;
    for (String seg : path.replaceAll("\\[\\d+]", ".[]").split("\\.")) {
      if (seg.isEmpty()) {
        continue;
      }
      at = seg.equals("[]") ? at.path("items") : at.path("properties").path(seg);
    }
    String description = at.path("description").asText("").strip();
    JsonNode examples = at.path("examples");
    String example =
        examples.isArray() && !examples.isEmpty()
            ? (examples.get(0).isTextual() ? examples.get(0).asText() : examples.get(0).toString())
            : "";
    if (description.isEmpty() && example.isEmpty()) {
      return "";
    }
    return " ("
        + description
        + (description.isEmpty() || example.isEmpty() ? "" : "; ")
        + (example.isEmpty() ? "" : "e.g. " + example)
        + ")";
  }

  /** The property names the schema declares for the object at {@code path}. */
  private Set<String> known(String path) {
    JsonNode at = root;
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
  public static String location(String raw) {
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

  // --- defaults and coercion ---------------------------------------------------------------

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
}
