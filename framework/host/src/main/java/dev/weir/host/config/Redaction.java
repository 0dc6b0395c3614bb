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
 * Makes a printable copy of a resolved workspace ({@code weir config validate --print}). Masked as
 * {@code ***}: connection settings their connector marks {@code "secret": true} ({@link
 * SettingsSchema#masked}); every referenced value in the settings of a connection whose connector
 * is unknown here; the admin tokens and the TLS password; and referenced values under keys that
 * name a credential (token, password, secret, key, credential, jaas); everywhere, the values of
 * {@code ${file:...}} and of environment variables whose name says they hold a credential ({@code
 * CRM_TOKEN}), and credential-shaped text ({@code ?token=...}). Other values read from the
 * environment (paths, URLs, ports, hosts) print as they are, so a wrong one can be seen. Stateless.
 */
final class Redaction {
  static final String MASK = Redactor.MASK;

  private static final java.util.regex.Pattern CREDENTIAL_KEY =
      java.util.regex.Pattern.compile("(?i).*(token|password|passwd|secret|credential|key|jaas).*");

  private Redaction() {}

  static JsonNode printable(
      ObjectNode resolved, Set<String> secrets, Set<String> credentials, ConnectorCatalog catalog) {
    ObjectNode copy = resolved.deepCopy();
    Redactor redactor = Redactor.of(secrets);
    maskCredentialKeys(copy, redactor);
    JsonNode server = copy.path("server");
    if (server instanceof ObjectNode s && s.get("admin_tokens") instanceof ArrayNode tokens) {
      for (int i = 0; i < tokens.size(); i++) {
        tokens.set(i, TextNode.valueOf(MASK));
      }
    }
    JsonNode tls = server.path("tls");
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
        if (!(settings instanceof ObjectNode)) {
          continue;
        }
        var entry =
            type != null && type.isTextual() && conn.get("definition") == null
                ? catalog.find(type.textValue())
                : java.util.Optional.<ConnectorCatalog.Entry>empty();
        if (entry.isPresent()) {
          ((ObjectNode) conn)
              .set("settings", SettingsSchema.of(entry.get().spec()).masked(settings));
        } else {
          // no schema says which settings are secret: hide every referenced value
          maskValues(settings, redactor::redact);
        }
      }
    }
    // credentials wherever they sit (a token in a URL's query, say), and credential-shaped text
    Redactor credentialRedactor = Redactor.of(credentials);
    maskValues(copy, credentialRedactor::redactCredentials);
    return copy;
  }

  private static void maskCredentialKeys(JsonNode node, Redactor redactor) {
    if (node instanceof ObjectNode o) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      o.fields().forEachRemaining(fields::add);
      for (Map.Entry<String, JsonNode> e : fields) {
        if (CREDENTIAL_KEY.matcher(e.getKey()).matches()) {
          maskValues(e.getValue(), redactor::redact);
          if (e.getValue().isTextual()) {
            o.set(e.getKey(), TextNode.valueOf(redactor.redact(e.getValue().textValue())));
          }
        } else {
          maskCredentialKeys(e.getValue(), redactor);
        }
      }
    } else if (node instanceof ArrayNode a) {
      a.forEach(n -> maskCredentialKeys(n, redactor));
    }
  }

  /** Replaces every text value under {@code node} by {@code mask} of it. */
  private static void maskValues(JsonNode node, java.util.function.UnaryOperator<String> mask) {
    if (node instanceof ObjectNode o) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      o.fields().forEachRemaining(fields::add);
      for (Map.Entry<String, JsonNode> e : fields) {
        if (e.getValue().isTextual()) {
          o.set(e.getKey(), TextNode.valueOf(mask.apply(e.getValue().textValue())));
        } else {
          maskValues(e.getValue(), mask);
        }
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i).isTextual()) {
          a.set(i, TextNode.valueOf(mask.apply(a.get(i).textValue())));
        } else {
          maskValues(a.get(i), mask);
        }
      }
    }
  }

  static String mask(String text, Set<String> secrets) {
    return Redactor.of(secrets).redact(text);
  }
}
