package dev.weir.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Connector settings: validation against a connector's JSON Schema (every error with its path) and
 * redaction of secrets for output. Stateless apart from a shared schema registry; thread-safe.
 */
final class Settings {
  static final String MASK = "***";
  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(
          SpecificationVersion.DRAFT_2020_12,
          b -> b.schemaLoader(loader -> loader.fetchRemoteResources(false)));

  private Settings() {}

  /**
   * Every error of {@code settings} against {@code schemaText}, as {@code {path, keyword, message}}
   * maps.
   */
  static List<Map<String, Object>> validate(String schemaText, JsonNode settings) {
    JsonNode schemaNode;
    try {
      schemaNode = Json.MAPPER.readTree(schemaText);
    } catch (IOException e) {
      throw new IllegalStateException("the connector's settings schema is not valid JSON", e);
    }
    Schema schema =
        REGISTRY.getSchema(
            SchemaLocation.of("https://connectors.weir.invalid/settings.json"), schemaNode);
    List<Map<String, Object>> out = new ArrayList<>();
    for (Error e : schema.validate(settings)) {
      Map<String, Object> m = new LinkedHashMap<>();
      String path = "$" + String.valueOf(e.getInstanceLocation()).replace('/', '.');
      if (e.getProperty() != null
          && ("required".equals(e.getKeyword()) || "additionalProperties".equals(e.getKeyword()))) {
        path = path + "." + e.getProperty();
      }
      m.put("path", path);
      m.put("keyword", e.getKeyword());
      m.put("message", e.getMessage());
      out.add(m);
    }
    return out;
  }

  /** The top-level property names a schema marks {@code "secret": true}. */
  static Set<String> secretFields(String schemaText) {
    Set<String> out = new HashSet<>();
    if (schemaText == null) {
      return out;
    }
    try {
      JsonNode props = Json.MAPPER.readTree(schemaText).path("properties");
      props
          .fields()
          .forEachRemaining(
              e -> {
                if (e.getValue().path("secret").asBoolean(false)) {
                  out.add(e.getKey());
                }
              });
    } catch (IOException e) {
      // an unreadable schema marks nothing; references are still masked
    }
    return out;
  }

  /**
   * A copy of {@code settings} safe to serve: fields named in {@code secrets} (at any depth) and
   * every string that holds a reference ({@code ${...}}, which resolves to a secret at run time)
   * become {@code "***"}.
   */
  static Object redact(Object value, Set<String> secrets) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach(
          (k, v) -> {
            String key = String.valueOf(k);
            out.put(key, secrets.contains(key) && v != null ? MASK : redact(v, secrets));
          });
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(redact(v, secrets)));
      return out;
    }
    if (value instanceof String s && s.contains("${")) {
      return MASK;
    }
    return value;
  }
}
