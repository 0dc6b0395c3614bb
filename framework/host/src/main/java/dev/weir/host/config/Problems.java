package dev.weir.host.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.definitions.Problem;
import dev.weir.definitions.YamlSchemaCheck;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects problems while reading typed values out of a YAML tree. Not thread-safe; one per load.
 */
final class Problems {
  private final String file;
  private final YamlSchemaCheck.Checked located;
  private final List<ConfigProblem> list = new ArrayList<>();

  /** Problems of {@code file}, each at the line and column of its node in {@code located}. */
  Problems(String file, YamlSchemaCheck.Checked located) {
    this.file = file;
    this.located = located;
  }

  /** A problem at {@code at}: the line and column of its key (or value, or nearest ancestor). */
  void add(Node at, String message) {
    list.add(located(file, located, at, message));
  }

  /** A problem of {@code file} at {@code at}, with the line and column {@code located} gives it. */
  static ConfigProblem located(
      String file, YamlSchemaCheck.Checked located, Node at, String message) {
    Problem q = located.at(at.pointer(), message);
    return new ConfigProblem(file, q.line(), q.column(), at.where(), at.path(), message);
  }

  boolean isEmpty() {
    return list.isEmpty();
  }

  List<ConfigProblem> list() {
    return list;
  }

  ObjectNode object(ObjectNode o, Node at, String key) {
    JsonNode v = o.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v instanceof ObjectNode on) {
      return on;
    }
    add(at.key(key), "must be a mapping, not " + kind(v));
    return null;
  }

  ArrayNode array(ObjectNode o, Node at, String key) {
    JsonNode v = o.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v instanceof ArrayNode an) {
      return an;
    }
    add(at.key(key), "must be a list, not " + kind(v));
    return null;
  }

  String string(ObjectNode o, Node at, String key, boolean required) {
    JsonNode v = o.get(key);
    if (v == null || v.isNull()) {
      if (required) {
        add(at.key(key), "required key missing");
      }
      return null;
    }
    if (!v.isValueNode() || v.isBinary()) {
      add(at.key(key), "must be a string, not " + kind(v));
      return null;
    }
    String s = v.asText();
    if (required && s.isBlank()) {
      add(at.key(key), "must not be empty");
      return null;
    }
    return s;
  }

  int integer(ObjectNode o, Node at, String key, int fallback, int min, int max) {
    return (int) whole(o, at, key, fallback, min, max);
  }

  long whole(ObjectNode o, Node at, String key, long fallback, long min, long max) {
    JsonNode v = o.get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    long n;
    if (v.isIntegralNumber()) {
      n = v.asLong();
    } else if (v.isTextual() && v.textValue().matches("-?\\d{1,18}")) {
      n = Long.parseLong(v.textValue());
    } else {
      add(at.key(key), "must be an integer, not " + kind(v));
      return fallback;
    }
    if (n < min || n > max) {
      add(at.key(key), "must be between " + min + " and " + max + ", not " + n);
      return fallback;
    }
    return n;
  }

  boolean bool(ObjectNode o, Node at, String key, boolean fallback) {
    JsonNode v = o.get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isTextual() && (v.textValue().equals("true") || v.textValue().equals("false"))) {
      return Boolean.parseBoolean(v.textValue());
    }
    add(at.key(key), "must be true or false, not " + kind(v));
    return fallback;
  }

  List<String> strings(ObjectNode o, Node at, String key) {
    ArrayNode a = array(o, at, key);
    List<String> out = new ArrayList<>();
    for (int i = 0; a != null && i < a.size(); i++) {
      JsonNode v = a.get(i);
      if (v.isValueNode() && !v.isNull()) {
        out.add(v.asText());
      } else {
        add(at.key(key).index(i), "must be a string, not " + kind(v));
      }
    }
    return out;
  }

  static String kind(JsonNode v) {
    if (v.isObject()) {
      return "a mapping";
    }
    if (v.isArray()) {
      return "a list";
    }
    if (v.isNull()) {
      return "null";
    }
    if (v.isTextual()) {
      return "a string";
    }
    if (v.isBoolean()) {
      return "a boolean";
    }
    return v.isNumber()
        ? "a number"
        : v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }
}
