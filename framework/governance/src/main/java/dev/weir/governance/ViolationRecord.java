package dev.weir.governance;

import dev.weir.sdk.Violation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One event that broke its plan, as kept by the {@link ViolationLog}. Immutable.
 *
 * @param at when governance saw it
 * @param source the source id
 * @param planId the plan id
 * @param planVersion the plan version it was checked against
 * @param eventType the event type
 * @param outcome what happened to the event
 * @param violations what was wrong
 * @param sample the event as received, with PII fields and secrets masked
 */
public record ViolationRecord(
    Instant at,
    String source,
    String planId,
    int planVersion,
    String eventType,
    Decision.Outcome outcome,
    List<Violation> violations,
    Map<String, Object> sample) {

  public ViolationRecord {
    violations = List.copyOf(violations);
  }

  /** A JSON-ready map, as the admin API serves it. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("at", at.toString());
    m.put("source", source);
    m.put("plan", planId);
    m.put("plan_version", planVersion);
    m.put("event_type", eventType);
    m.put("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT));
    List<Object> vs = new ArrayList<>();
    for (Violation v : violations) {
      Map<String, Object> vm = new LinkedHashMap<>();
      vm.put("type", v.type());
      vm.put("field", v.field());
      vm.put("message", v.message());
      vs.add(vm);
    }
    m.put("violations", vs);
    m.put("sample", sample);
    return m;
  }
}
