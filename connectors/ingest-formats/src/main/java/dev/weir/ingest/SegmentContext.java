package dev.weir.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.sdk.Event;
import dev.weir.sdk.Plan;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Maps a Segment call's {@code context} onto the event model and keeps what it does not map: each
 * leaf that becomes a model field is taken out of a copy of the context, and what is left (empty
 * objects pruned) is returned, to be kept under {@code $segment.context}. A leaf of the wrong type
 * (a numeric {@code ip}, say) is not mapped and so stays in the kept copy: nothing is dropped. Not
 * thread-safe; one instance per call.
 */
final class SegmentContext {
  private final ObjectNode rest;
  private final Set<JsonNode> touched = Collections.newSetFromMap(new IdentityHashMap<>());

  private SegmentContext(ObjectNode context) {
    this.rest = context.deepCopy();
  }

  /**
   * Maps {@code context} into {@code b}; returns the unmapped remainder, or null when nothing is
   * left.
   *
   * @param identifyTraits true for an identify call without top-level {@code traits}: then {@code
   *     context.traits} (where RudderStack's SDKs put them) become the user properties
   */
  static ObjectNode map(ObjectNode context, Event.Builder b, boolean identifyTraits)
      throws JsonConvert.BadValue {
    SegmentContext c = new SegmentContext(context);
    c.apply(b, identifyTraits);
    c.prune(c.rest);
    return c.rest.isEmpty() ? null : c.rest;
  }

  private void apply(Event.Builder b, boolean identifyTraits) throws JsonConvert.BadValue {
    b.ip(text("ip"));
    b.userAgent(text("userAgent"));
    b.language(text("locale"));
    b.appVersion(text("app", "version"));
    b.osName(text("os", "name"));
    b.osVersion(text("os", "version"));
    b.deviceManufacturer(text("device", "manufacturer"));
    b.deviceModel(text("device", "model"));
    b.deviceBrand(text("device", "brand"));
    b.carrier(text("network", "carrier"));
    b.country(text("location", "country"));
    b.region(text("location", "region"));
    b.city(text("location", "city"));
    b.locationLat(number("location", "latitude"));
    b.locationLng(number("location", "longitude"));
    String platform = text("device", "type");
    b.platform(platform);
    String advertisingId = text("device", "advertisingId");
    if (advertisingId != null) {
      if ("ios".equalsIgnoreCase(platform)) {
        b.idfa(advertisingId);
      } else {
        b.adid(advertisingId);
      }
    }
    JsonNode library = rest.path("library");
    if (library.path("name").isTextual()) {
      String name = text("library", "name");
      String version = text("library", "version");
      b.library(version == null ? name : name + "/" + version);
    }
    JsonNode eventVersion = rest.path("protocols").path("event_version");
    if (eventVersion.isNumber() || eventVersion.isTextual()) {
      b.plan(new Plan(null, "segment-protocols", JsonConvert.cut(eventVersion.asText()), null));
      take((ObjectNode) rest.get("protocols"), "event_version");
    }
    if (identifyTraits && rest.path("traits").isObject()) {
      Map<String, Object> traits = JsonConvert.object(rest.get("traits"));
      b.userProperties(traits.isEmpty() ? Map.of() : Map.of("$set", traits));
      rest.remove("traits");
    }
  }

  /** The text at {@code path}, taken out of the kept copy; null (and left there) otherwise. */
  private String text(String... path) {
    ObjectNode parent = parent(path);
    JsonNode v = parent == null ? null : parent.get(path[path.length - 1]);
    if (v == null || !v.isTextual()) {
      return null;
    }
    take(parent, path[path.length - 1]);
    return JsonConvert.cut(v.textValue());
  }

  private Double number(String... path) {
    ObjectNode parent = parent(path);
    JsonNode v = parent == null ? null : parent.get(path[path.length - 1]);
    if (v == null || !v.isNumber() || !Double.isFinite(v.doubleValue())) {
      return null;
    }
    take(parent, path[path.length - 1]);
    return v.doubleValue();
  }

  private void take(ObjectNode parent, String field) {
    parent.remove(field);
    touched.add(parent);
  }

  private ObjectNode parent(String... path) {
    JsonNode n = rest;
    for (int i = 0; i < path.length - 1; i++) {
      n = n.get(path[i]);
      if (n == null || !n.isObject()) {
        return null;
      }
    }
    return (ObjectNode) n;
  }

  /** Removes objects left empty by taking their leaves (an object the client sent empty stays). */
  private void prune(ObjectNode node) {
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      JsonNode v = it.next().getValue();
      if (v.isObject()) {
        prune((ObjectNode) v);
        if (v.isEmpty() && touched.contains(v)) {
          it.remove();
        }
      }
    }
  }
}
