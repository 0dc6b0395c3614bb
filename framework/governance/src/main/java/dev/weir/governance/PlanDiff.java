package dev.weir.governance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares two versions of a plan file and lists the changes, marking the breaking ones: a removed
 * event, a newly required property, a narrowed type, a narrowed enum or range. Stateless.
 */
final class PlanDiff {
  /**
   * One change.
   *
   * @param breaking true when events valid under the old plan may fail the new one (or an event
   *     disappears)
   * @param kind what changed, such as {@code removed event}
   * @param subject where, such as {@code Product Added: event_properties.price}
   * @param detail more, or empty
   */
  record Change(boolean breaking, String kind, String subject, String detail) {}

  private static final List<String> LOWER_BOUNDS =
      List.of("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties");
  private static final List<String> UPPER_BOUNDS =
      List.of("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties");
  private static final List<String> OTHER_CONSTRAINTS =
      List.of("pattern", "format", "const", "multipleOf");

  private PlanDiff() {}

  static List<Change> diff(JsonNode oldPlan, JsonNode newPlan) {
    List<Change> out = new ArrayList<>();
    JsonNode oldEvents = oldPlan.path("events");
    JsonNode newEvents = newPlan.path("events");
    for (String name : names(oldEvents)) {
      if (!newEvents.has(name)) {
        out.add(new Change(true, "removed event", name, ""));
      }
    }
    for (String name : names(newEvents)) {
      if (!oldEvents.has(name)) {
        out.add(new Change(false, "added event", name, ""));
      }
    }
    for (String name : names(oldEvents)) {
      if (newEvents.has(name)) {
        for (String area : List.of("event_properties", "user_properties")) {
          schema(
              oldEvents.path(name).path(area),
              newEvents.path(name).path(area),
              name + ": " + area,
              out);
        }
      }
    }
    schema(
        oldPlan.path("common").path("event_properties"),
        newPlan.path("common").path("event_properties"),
        "common: event_properties",
        out);
    schema(
        oldPlan.path("user_properties"), newPlan.path("user_properties"), "user_properties", out);
    schema(
        oldPlan.path("group_properties"),
        newPlan.path("group_properties"),
        "group_properties",
        out);
    return out;
  }

  private static void schema(JsonNode oldS, JsonNode newS, String at, List<Change> out) {
    if (oldS.isMissingNode() && newS.isMissingNode()) {
      return;
    }
    JsonNode oldProps = oldS.path("properties");
    JsonNode newProps = newS.path("properties");
    Set<String> oldRequired = strings(oldS.path("required"));
    Set<String> newRequired = strings(newS.path("required"));
    for (String p : names(oldProps)) {
      if (!newProps.has(p)) {
        out.add(new Change(false, "removed property", at + "." + p, "now unplanned"));
      }
    }
    for (String p : names(newProps)) {
      if (!oldProps.has(p)) {
        boolean required = newRequired.contains(p);
        out.add(
            new Change(
                required,
                required ? "newly required" : "added property",
                at + "." + p,
                required ? "new and required" : ""));
      }
    }
    for (String p : newRequired) {
      if (!oldRequired.contains(p) && oldProps.has(p)) {
        out.add(new Change(true, "newly required", at + "." + p, ""));
      }
    }
    for (String p : oldRequired) {
      if (!newRequired.contains(p) && newProps.has(p)) {
        out.add(new Change(false, "now optional", at + "." + p, ""));
      }
    }
    for (String p : names(oldProps)) {
      if (newProps.has(p)) {
        property(oldProps.get(p), newProps.get(p), at + "." + p, out);
      }
    }
  }

  private static void property(JsonNode oldP, JsonNode newP, String at, List<Change> out) {
    Set<String> oldT = types(oldP);
    Set<String> newT = types(newP);
    if (!oldT.equals(newT)) {
      boolean narrowed = !covers(newT, oldT);
      out.add(
          new Change(
              narrowed,
              narrowed ? "narrowed type" : "widened type",
              at,
              show(oldT) + " -> " + show(newT)));
    }
    JsonNode oldEnum = oldP.path("enum");
    JsonNode newEnum = newP.path("enum");
    if (!oldEnum.equals(newEnum)) {
      Set<String> before = texts(oldEnum);
      Set<String> after = texts(newEnum);
      Set<String> removed = new TreeSet<>(before);
      removed.removeAll(after);
      boolean narrowed = newEnum.isArray() && (!oldEnum.isArray() || !removed.isEmpty());
      out.add(
          new Change(
              narrowed,
              narrowed ? "narrowed enum" : "widened enum",
              at,
              (oldEnum.isArray() ? before.toString() : "any")
                  + " -> "
                  + (newEnum.isArray() ? after.toString() : "any")));
    }
    for (String k : LOWER_BOUNDS) {
      bound(oldP.path(k), newP.path(k), k, true, at, out);
    }
    for (String k : UPPER_BOUNDS) {
      bound(oldP.path(k), newP.path(k), k, false, at, out);
    }
    for (String k : OTHER_CONSTRAINTS) {
      if (!oldP.path(k).equals(newP.path(k))) {
        boolean added = oldP.path(k).isMissingNode();
        out.add(
            new Change(
                added,
                added ? "added constraint" : "changed constraint",
                at,
                k + ": " + text(oldP.path(k)) + " -> " + text(newP.path(k))));
      }
    }
    if (oldP.has("properties") || newP.has("properties")) {
      schema(oldP, newP, at, out);
    }
    if (oldP.path("items").isObject() || newP.path("items").isObject()) {
      property(oldP.path("items"), newP.path("items"), at + "[]", out);
    }
  }

  private static void bound(
      JsonNode oldB, JsonNode newB, String key, boolean lower, String at, List<Change> out) {
    if (oldB.equals(newB)
        || (!oldB.isNumber() && !oldB.isMissingNode())
        || (!newB.isNumber() && !newB.isMissingNode())) {
      return;
    }
    boolean narrowed;
    if (newB.isMissingNode()) {
      narrowed = false;
    } else if (oldB.isMissingNode()) {
      narrowed = true;
    } else {
      int cmp = newB.decimalValue().compareTo(oldB.decimalValue());
      narrowed = lower ? cmp > 0 : cmp < 0;
    }
    out.add(
        new Change(
            narrowed,
            narrowed ? "narrowed range" : "widened range",
            at,
            key + ": " + text(oldB) + " -> " + text(newB)));
  }

  /** The JSON types a schema allows; empty means any. */
  private static Set<String> types(JsonNode s) {
    Set<String> out = new TreeSet<>();
    JsonNode t = s.path("type");
    if (t.isTextual()) {
      out.add(t.asText());
    } else if (t.isArray()) {
      t.forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  private static boolean covers(Set<String> newT, Set<String> oldT) {
    if (newT.isEmpty()) {
      return true;
    }
    if (oldT.isEmpty()) {
      return false;
    }
    for (String t : oldT) {
      if (!newT.contains(t) && !(t.equals("integer") && newT.contains("number"))) {
        return false;
      }
    }
    return true;
  }

  private static String show(Set<String> types) {
    return types.isEmpty() ? "any" : String.join("|", types);
  }

  private static String text(JsonNode n) {
    return n.isMissingNode() ? "none" : n.isTextual() ? n.asText() : n.toString();
  }

  private static Set<String> names(JsonNode obj) {
    Set<String> out = new LinkedHashSet<>();
    if (obj.isObject()) {
      for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
        out.add(it.next());
      }
    }
    return out;
  }

  private static Set<String> strings(JsonNode arr) {
    Set<String> out = new LinkedHashSet<>();
    if (arr.isArray()) {
      arr.forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  private static Set<String> texts(JsonNode arr) {
    Set<String> out = new TreeSet<>();
    if (arr.isArray()) {
      arr.forEach(n -> out.add(n.isTextual() ? n.asText() : n.toString()));
    }
    return out;
  }
}
