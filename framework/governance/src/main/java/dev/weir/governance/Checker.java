package dev.weir.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import dev.weir.sdk.Event;
import dev.weir.sdk.Violation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds every way one event breaks one plan version, without deciding what to do about it.
 * Stateless and thread-safe.
 */
final class Checker {
  static final String UNPLANNED_EVENT = "unplanned-event";
  static final String UNPLANNED_PROPERTY = "unplanned-property";
  static final String REQUIRED_MISSING = "required-missing";
  static final String TYPE_MISMATCH = "type-mismatch";
  static final String VALUE_INVALID = "value-invalid";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The property where the Segment format keeps what has no model field (docs/ingestion.md): Weir
   * adds it, so it is never an unplanned property.
   */
  static final String KEPT_BY_INGEST = "$segment";

  /**
   * Amplitude identify operations whose values are property values, validated against the schema.
   */
  private static final Set<String> VALUE_OPS = Set.of("$set", "$setOnce");

  /**
   * Operations whose keys are property names but whose values are increments, elements or markers.
   */
  private static final Set<String> NAME_OPS =
      Set.of("$add", "$append", "$prepend", "$preInsert", "$postInsert", "$remove", "$unset");

  /**
   * One violation and, when it can be removed, where its offending property sits.
   *
   * @param area the event field holding the property: {@code event_properties}, {@code
   *     user_properties} or {@code group_properties}; {@code event_type} for unplanned events
   * @param omitPath the path inside {@code area} of what omitting removes; null when nothing can be
   *     removed (for example a missing required property)
   */
  record Finding(Violation violation, String area, List<Object> omitPath) {
    String type() {
      return violation.type();
    }

    boolean invalidValue() {
      return !type().equals(UNPLANNED_EVENT) && !type().equals(UNPLANNED_PROPERTY);
    }
  }

  private Checker() {}

  static List<Finding> check(CompiledPlan plan, Event event) {
    List<Finding> out = new ArrayList<>();
    String type = event.eventType();
    if (Enforcer.IDENTIFY.equals(type)) {
      if (plan.userProperties() != null) {
        checkOperations(plan.userProperties(), event.userProperties(), "user_properties", out);
      }
      return out;
    }
    if (Enforcer.GROUP_IDENTIFY.equals(type)) {
      if (plan.groupProperties() != null) {
        checkOperations(plan.groupProperties(), event.groupProperties(), "group_properties", out);
      }
      return out;
    }
    CompiledPlan.EventSpec spec = type == null ? null : plan.events().get(type);
    PropertySchema common = plan.commonEventProperties();
    if (spec == null) {
      out.add(
          new Finding(
              new Violation(
                  UNPLANNED_EVENT,
                  "event_type",
                  "event type '"
                      + type
                      + "' is not in plan "
                      + plan.id()
                      + " version "
                      + plan.version()),
              "event_type",
              null));
      if (common != null) {
        validate(
            common, event.eventProperties(), "event_properties", List.of(), false, Set.of(), out);
      }
      return out;
    }
    Set<String> unplanned = new HashSet<>();
    for (String key : event.eventProperties().keySet()) {
      boolean planned =
          key.equals(KEPT_BY_INGEST)
              || (spec.eventProperties() != null && spec.eventProperties().plans(key))
              || (common != null && common.plans(key));
      if (!planned) {
        unplanned.add(key);
        out.add(unplannedProperty("event_properties", List.of(), key, type));
      }
    }
    Map<String, Object> props = event.eventProperties();
    if (spec.eventProperties() != null) {
      validate(spec.eventProperties(), props, "event_properties", List.of(), false, unplanned, out);
    }
    if (common != null) {
      validate(common, props, "event_properties", List.of(), false, unplanned, out);
    }
    PropertySchema user =
        spec.userProperties() != null ? spec.userProperties() : plan.userProperties();
    if (user != null && !event.userProperties().isEmpty()) {
      checkOperations(user, event.userProperties(), "user_properties", out);
    }
    return dedupe(out);
  }

  /**
   * Checks identify-style property updates: plain properties and Amplitude's {@code $set}-style
   * operations.
   */
  @SuppressWarnings("unchecked")
  private static void checkOperations(
      PropertySchema schema, Map<String, Object> props, String area, List<Finding> out) {
    Map<String, Object> plain = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : props.entrySet()) {
      String key = e.getKey();
      if ((VALUE_OPS.contains(key) || NAME_OPS.contains(key))
          && e.getValue() instanceof Map<?, ?> m) {
        Map<String, Object> op = (Map<String, Object>) m;
        Set<String> unplanned = new HashSet<>();
        for (String name : op.keySet()) {
          if (!schema.plans(name)) {
            unplanned.add(name);
            out.add(unplannedProperty(area, List.of(key), name, null));
          }
        }
        if (VALUE_OPS.contains(key)) {
          validate(schema, op, area, List.of(key), true, unplanned, out);
        }
      } else if (!key.equals("$clearAll")) {
        plain.put(key, e.getValue());
      }
    }
    if (!plain.isEmpty()) {
      Set<String> unplanned = new HashSet<>();
      for (String name : plain.keySet()) {
        if (!schema.plans(name)) {
          unplanned.add(name);
          out.add(unplannedProperty(area, List.of(), name, null));
        }
      }
      validate(schema, plain, area, List.of(), true, unplanned, out);
    }
  }

  private static Finding unplannedProperty(
      String area, List<Object> prefix, String name, String eventType) {
    List<Object> path = new ArrayList<>(prefix);
    path.add(name);
    String field = area + pathSuffix(path);
    return new Finding(
        new Violation(
            UNPLANNED_PROPERTY,
            field,
            "property '"
                + name
                + "' is not in the plan"
                + (eventType == null ? "" : " for '" + eventType + "'")),
        area,
        path);
  }

  /**
   * Runs one compiled schema over a property object and classifies its errors. An object the
   * schema's fast form certainly accepts skips the JSON tree and the full validator; any other
   * object gets both, so violations are exactly the validator's.
   *
   * @param partial true for updates (identify): missing required properties are not errors
   * @param unplanned names already reported as unplanned at the top level
   */
  private static void validate(
      PropertySchema schema,
      Map<String, Object> value,
      String area,
      List<Object> prefix,
      boolean partial,
      Set<String> unplanned,
      List<Finding> out) {
    if (schema.certainlyValid(value)) {
      return;
    }
    JsonNode node = JSON.valueToTree(value);
    List<Error> errors = schema.schema().validate(node);
    for (Error err : errors) {
      String keyword = err.getKeyword() == null ? "" : err.getKeyword();
      List<Object> path = new ArrayList<>(prefix);
      path.addAll(SchemaCompiler.segments(err.getInstanceLocation()));
      String message = err.getMessage();
      switch (keyword) {
        case "required" -> {
          if (partial) {
            continue;
          }
          List<Object> missing = new ArrayList<>(path);
          missing.add(err.getProperty());
          out.add(
              new Finding(
                  new Violation(REQUIRED_MISSING, area + pathSuffix(missing), message),
                  area,
                  null));
        }
        case "additionalProperties", "unevaluatedProperties" -> {
          String property = err.getProperty();
          if (property != null && path.size() == prefix.size() && unplanned.contains(property)) {
            continue;
          }
          List<Object> at = new ArrayList<>(path);
          if (property != null) {
            at.add(property);
          }
          out.add(
              new Finding(
                  new Violation(UNPLANNED_PROPERTY, area + pathSuffix(at), message),
                  area,
                  at.size() > prefix.size() ? at : null));
        }
        default -> {
          String type = keyword.equals("type") ? TYPE_MISMATCH : VALUE_INVALID;
          List<Object> omit =
              path.size() > prefix.size() ? List.copyOf(path.subList(0, prefix.size() + 1)) : null;
          out.add(new Finding(new Violation(type, area + pathSuffix(path), message), area, omit));
        }
      }
    }
  }

  static String pathSuffix(List<Object> path) {
    StringBuilder sb = new StringBuilder();
    for (Object o : path) {
      if (o instanceof Integer i) {
        sb.append('[').append(i).append(']');
      } else {
        SchemaCompiler.appendName(sb, String.valueOf(o));
      }
    }
    return sb.toString();
  }

  private static List<Finding> dedupe(List<Finding> findings) {
    Set<String> seen = new HashSet<>();
    List<Finding> out = new ArrayList<>(findings.size());
    for (Finding f : findings) {
      if (seen.add(
          f.type() + "\u0000" + f.violation().field() + "\u0000" + f.violation().message())) {
        out.add(f);
      }
    }
    return out;
  }
}
