package dev.weir.sdk;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tracking-plan coordinates an event names (Amplitude's {@code plan} object); any part may be
 * null.
 *
 * @param branch the plan branch
 * @param source the plan source
 * @param version the plan version the event was instrumented against
 * @param versionId the plan's version id, as Amplitude's SDK sends it
 */
public record Plan(String branch, String source, String version, String versionId) {

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (branch != null) {
      m.put("branch", branch);
    }
    if (source != null) {
      m.put("source", source);
    }
    if (version != null) {
      m.put("version", version);
    }
    if (versionId != null) {
      m.put("versionId", versionId);
    }
    return m;
  }

  static Plan fromMap(Map<String, Object> m) {
    String branch = null;
    String source = null;
    String version = null;
    String versionId = null;
    for (Map.Entry<String, Object> e : m.entrySet()) {
      Object v = e.getValue();
      if (v == null) {
        continue;
      }
      String field = "plan." + e.getKey();
      // Clients send versions as numbers as often as strings; keep the text either way.
      String text = v instanceof Number ? v.toString() : JsonValues.asString(field, v);
      switch (e.getKey()) {
        case "branch" -> branch = text;
        case "source" -> source = text;
        case "version" -> version = text;
        case "versionId" -> versionId = text;
        default -> throw new IllegalArgumentException("unknown event field '" + field + "'");
      }
    }
    return new Plan(branch, source, version, versionId);
  }
}
