package dev.weir.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.runtime.Redactor;
import dev.weir.runtime.SettingsProblem;
import dev.weir.runtime.SettingsSchema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Connector settings for the admin API, over the runtime's {@link SettingsSchema}: validation
 * (every error with its path) and masking of secrets for output. Stateless; thread-safe.
 */
final class ApiSettings {
  static final String MASK = Redactor.MASK;

  private ApiSettings() {}

  /**
   * Every error of {@code settings} against {@code schemaText}, as {@code {path, keyword, message}}
   * maps ({@code path} as {@code $.a.b[0]}). Defaults are applied to a copy, as the host does.
   */
  static List<Map<String, Object>> validate(String schemaText, JsonNode settings) {
    SettingsSchema schema;
    try {
      schema = SettingsSchema.of(schemaText);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("the connector's settings schema is not valid JSON", e);
    }
    List<Map<String, Object>> out = new ArrayList<>();
    ObjectNode copy =
        settings instanceof ObjectNode o ? o.deepCopy() : HttpJson.MAPPER.createObjectNode();
    List<SettingsProblem> problems =
        settings instanceof ObjectNode
            ? schema.validate(copy)
            : List.of(new SettingsProblem("", "type", "settings must be an object"));
    for (SettingsProblem p : problems) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", p.path().isEmpty() ? "$" : "$." + p.path());
      m.put("keyword", p.keyword());
      m.put("message", p.message());
      out.add(m);
    }
    return out;
  }

  /** The paths a schema marks {@code "secret": true}, at any depth. */
  static Set<String> secretFields(String schemaText) {
    Set<String> out = new HashSet<>();
    if (schemaText == null) {
      return out;
    }
    try {
      out.addAll(SettingsSchema.of(schemaText).secretPaths());
    } catch (IllegalArgumentException e) {
      // an unreadable schema marks nothing; references are still masked
    }
    return out;
  }

  /**
   * A copy of {@code settings} safe to serve: values at the {@code secrets} paths (dotted, {@code
   * []} for list items; a top-level name is a path) and every string that holds a reference ({@code
   * ${...}}, which resolves to a secret at run time) become {@code "***"}.
   */
  static Object redact(Object value, Set<String> secrets) {
    return redact(value, "", secrets);
  }

  private static Object redact(Object value, String path, Set<String> secrets) {
    if (!path.isEmpty() && value != null && secrets.contains(path)) {
      return mask(value);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach(
          (k, v) -> {
            String key = String.valueOf(k);
            out.put(key, redact(v, path.isEmpty() ? key : path + "." + key, secrets));
          });
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(redact(v, path + "[]", secrets)));
      return out;
    }
    if (value instanceof String s && s.contains("${")) {
      return MASK;
    }
    return value;
  }

  private static Object mask(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), mask(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(ApiSettings::mask).toList();
    }
    return MASK;
  }
}
