package dev.weir.host.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes a printable copy of a resolved workspace: settings marked {@code "secret": true} by their
 * connector, TLS passwords, and any text containing a resolved secret value become {@code ***}.
 * Stateless.
 */
final class Redaction {
  static final String MASK = "***";

  private Redaction() {}

  static JsonNode printable(ObjectNode resolved, Set<String> secrets, ConnectorCatalog catalog) {
    ObjectNode copy = resolved.deepCopy();
    maskValues(copy, secrets);
    JsonNode tls = copy.path("server").path("tls");
    if (tls instanceof ObjectNode t && t.has("keystore_password")) {
      t.put("keystore_password", MASK);
    }
    for (String section : List.of("sources", "destinations")) {
      JsonNode list = copy.get(section);
      if (list == null || !list.isArray()) {
        continue;
      }
      for (JsonNode conn : list) {
        JsonNode type = conn.get("type");
        JsonNode settings = conn.get("settings");
        if (type == null || !type.isTextual() || !(settings instanceof ObjectNode s)) {
          continue;
        }
        catalog
            .find(type.textValue())
            .ifPresent(
                entry -> {
                  for (String path : SettingsValidator.secretPaths(entry.spec())) {
                    maskPath(s, path);
                  }
                });
      }
    }
    return copy;
  }

  private static void maskPath(ObjectNode settings, String dotted) {
    String[] parts = dotted.split("\\.");
    ObjectNode at = settings;
    for (int i = 0; i < parts.length - 1; i++) {
      if (!(at.get(parts[i]) instanceof ObjectNode next)) {
        return;
      }
      at = next;
    }
    String last = parts[parts.length - 1];
    JsonNode v = at.get(last);
    if (v == null) {
      return;
    }
    at.set(last, maskAll(v));
  }

  /**
   * Every leaf becomes the mask, keeping the shape (so a list of keys still shows how many there
   * are).
   */
  private static JsonNode maskAll(JsonNode v) {
    if (v instanceof ObjectNode o) {
      ObjectNode c = o.deepCopy();
      List<String> names = new ArrayList<>();
      c.fieldNames().forEachRemaining(names::add);
      for (String n : names) {
        c.set(n, maskAll(c.get(n)));
      }
      return c;
    }
    if (v instanceof ArrayNode a) {
      ArrayNode c = a.arrayNode();
      a.forEach(x -> c.add(maskAll(x)));
      return c;
    }
    return TextNode.valueOf(MASK);
  }

  private static void maskValues(JsonNode node, Set<String> secrets) {
    if (node instanceof ObjectNode o) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      o.fields().forEachRemaining(fields::add);
      for (Map.Entry<String, JsonNode> e : fields) {
        if (e.getValue().isTextual()) {
          o.set(e.getKey(), TextNode.valueOf(mask(e.getValue().textValue(), secrets)));
        } else {
          maskValues(e.getValue(), secrets);
        }
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i).isTextual()) {
          a.set(i, TextNode.valueOf(mask(a.get(i).textValue(), secrets)));
        } else {
          maskValues(a.get(i), secrets);
        }
      }
    }
  }

  static String mask(String text, Set<String> secrets) {
    String out = text;
    for (String s : secrets) {
      if (!s.isEmpty() && out.contains(s)) {
        out = out.replace(s, MASK);
      }
    }
    return out;
  }
}
