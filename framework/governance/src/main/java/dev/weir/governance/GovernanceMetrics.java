package dev.weir.governance;

import dev.weir.sdk.Event;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counters for one source, fed as a {@link DecisionObserver}: {@code weir.governance.violations} by
 * source, plan, plan version, event type, violation type, field and action, and {@code
 * weir.governance.events} by source, plan, plan version and outcome. Thread-safe. Event types and
 * fields come from clients, so after {@value #MAX_SERIES} distinct violation series per source new
 * ones are counted under {@code event_type=_other, field=_other} to bound the metric cardinality.
 */
final class GovernanceMetrics implements DecisionObserver {
  static final String VIOLATIONS = "weir.governance.violations";
  static final String EVENTS = "weir.governance.events";
  static final int MAX_SERIES = 2000;
  static final String OTHER = "_other";

  private final MeterRegistry registry;
  private final String source;
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

  GovernanceMetrics(MeterRegistry registry, String source) {
    this.registry = registry;
    this.source = source;
  }

  @Override
  public void observe(String source, Event original, Decision decision, List<Acted> acted) {
    for (Acted a : acted) {
      violation(
          decision.planId(),
          decision.planVersion(),
          original.eventType(),
          a.violation().type(),
          a.violation().field(),
          a.action());
    }
    event(decision.planId(), decision.planVersion(), decision.outcome());
  }

  void violation(
      String plan, Integer version, String eventType, String type, String field, String action) {
    String v = version == null ? "none" : version.toString();
    String et = eventType == null ? "" : eventType;
    String key =
        "v\u0000" + plan + '\u0000' + v + '\u0000' + et + '\u0000' + type + '\u0000' + field
            + '\u0000' + action;
    Counter c = counters.get(key);
    if (c == null) {
      if (counters.size() >= MAX_SERIES) {
        et = OTHER;
        field = OTHER;
        key =
            "v\u0000" + plan + '\u0000' + v + '\u0000' + et + '\u0000' + type + '\u0000' + field
                + '\u0000' + action;
      }
      String fEt = et;
      String fField = field;
      c =
          counters.computeIfAbsent(
              key,
              k ->
                  Counter.builder(VIOLATIONS)
                      .description("Tracking-plan violations found")
                      .tag("source", source)
                      .tag("plan", plan)
                      .tag("plan_version", v)
                      .tag("event_type", fEt)
                      .tag("violation_type", type)
                      .tag("field", fField)
                      .tag("action", action)
                      .register(registry));
    }
    c.increment();
  }

  void event(String plan, Integer version, Decision.Outcome outcome) {
    String v = version == null ? "none" : version.toString();
    String key = "e\u0000" + plan + '\u0000' + v + '\u0000' + outcome;
    counters
        .computeIfAbsent(
            key,
            k ->
                Counter.builder(EVENTS)
                    .description("Events checked against a tracking plan, by outcome")
                    .tag("source", source)
                    .tag("plan", plan)
                    .tag("plan_version", v)
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .register(registry))
        .increment();
  }
}
