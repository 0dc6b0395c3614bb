package dev.weir.sdk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One way an event breaks its tracking plan.
 *
 * @param type the kind of violation, such as {@code unplanned-event}, {@code unplanned-property},
 *     {@code required-missing}, {@code type-mismatch} or {@code value-invalid}
 * @param field the JSON path of the offending field, such as {@code event_properties.price}; empty
 *     for the event as a whole
 * @param message what was expected, for people
 */
public record Violation(String type, String field, String message) {
  public Violation {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    m.put("field", field);
    m.put("message", message);
    return m;
  }

  static List<Violation> listFromJson(String key, Object v) {
    if (!(v instanceof List<?> list)) {
      throw JsonValues.typeError(key, "an array", v);
    }
    List<Violation> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      Map<String, Object> m = JsonValues.asObject(key + "[" + i + "]", list.get(i));
      out.add(
          new Violation(
              JsonValues.asString(key + "[" + i + "].type", m.get("type")),
              m.get("field") == null
                  ? ""
                  : JsonValues.asString(key + "[" + i + "].field", m.get("field")),
              m.get("message") == null
                  ? ""
                  : JsonValues.asString(key + "[" + i + "].message", m.get("message"))));
    }
    return out;
  }
}
