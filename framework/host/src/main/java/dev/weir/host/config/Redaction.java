package dev.weir.host.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.weir.runtime.Redactor;
import dev.weir.runtime.SettingsSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes a printable copy of a resolved workspace: settings marked {@code "secret": true} by their
 * connector ({@link SettingsSchema#masked}), TLS passwords, and any text containing a resolved
 * secret value ({@link Redactor}) become {@code ***}. Stateless.
 */
final class Redaction {
  static final String MASK = Redactor.MASK;

  private Redaction() {}

  static JsonNode printable(ObjectNode resolved, Set<String> secrets, ConnectorCatalog catalog) {
    ObjectNode copy = resolved.deepCopy();
    maskValues(copy, Redactor.of(secrets));
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
        if (type == null || !type.isTextual() || !(settings instanceof ObjectNode)) {
          continue;
        }
        catalog
            .find(type.textValue())
            .ifPresent(
                entry ->
                    ((ObjectNode) conn)
                        .set("settings", SettingsSchema.of(entry.spec()).masked(settings)));
      }
    }
    return copy;
  }

  private static void maskValues(JsonNode node, Redactor redactor) {
    if (node instanceof ObjectNode o) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      o.fields().forEachRemaining(fields::add);
      for (Map.Entry<String, JsonNode> e : fields) {
        if (e.getValue().isTextual()) {
          o.set(e.getKey(), TextNode.valueOf(redactor.redact(e.getValue().textValue())));
        } else {
          maskValues(e.getValue(), redactor);
        }
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i).isTextual()) {
          a.set(i, TextNode.valueOf(redactor.redact(a.get(i).textValue())));
        } else {
          maskValues(a.get(i), redactor);
        }
      }
    }
  }

  static String mask(String text, Set<String> secrets) {
    return Redactor.of(secrets).redact(text);
  }
}
