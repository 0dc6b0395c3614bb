package dev.weir.governance;

import dev.weir.governance.Checker.Finding;
import dev.weir.sdk.Event;
import dev.weir.sdk.Violation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces one source's tracking plan on its events: passes, flags, trims or blocks each event,
 * counts every violation and keeps recent ones in the {@link ViolationLog}. Obtained from {@link
 * TrackingPlans#enforcer(String, Policy, io.micrometer.core.instrument.MeterRegistry,
 * ViolationLog)}.
 *
 * <p>Thread-safe and stateless per call: each call takes the plans' current snapshot once, so hot
 * reloads apply to the next call and never to half an event or half a batch.
 *
 * <p>Version selection: the event's {@code plan.version} (Amplitude's field; the Segment ingestion
 * layer copies {@code context.protocols.event_version} into it) when that version of the plan is
 * loaded, otherwise the source's pinned version, otherwise the highest loaded version.
 */
public final class Enforcer {
  /** Amplitude's identify call: validated against the plan's {@code user_properties}. */
  public static final String IDENTIFY = "$identify";

  /** Amplitude's group identify call: validated against the plan's {@code group_properties}. */
  public static final String GROUP_IDENTIFY = "$groupidentify";

  private static final Logger LOG = LoggerFactory.getLogger(Enforcer.class);

  private final String source;
  private final Policy policy;
  private final Supplier<Catalog> catalog;
  private final List<DecisionObserver> observers;
  private final AtomicBoolean warnedMissing = new AtomicBoolean();

  Enforcer(
      String source, Policy policy, Supplier<Catalog> catalog, List<DecisionObserver> observers) {
    this.source = source;
    this.policy = policy;
    this.catalog = catalog;
    this.observers = List.copyOf(observers);
  }

  /** The source this enforcer serves. */
  public String source() {
    return source;
  }

  /** The source's policy. */
  public Policy policy() {
    return policy;
  }

  /**
   * Decides one event. Never throws for a bad event: a validator failure flags the event instead.
   */
  public Decision evaluate(Event event) {
    return evaluate(catalog.get(), event);
  }

  /**
   * Decides a batch against one snapshot of the plans; the result's index {@code i} is the decision
   * for event {@code i}.
   */
  public List<Decision> evaluateAll(List<Event> events) {
    Catalog snapshot = catalog.get();
    List<Decision> out = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      out.add(
          evaluate(snapshot, Objects.requireNonNull(events.get(i), "events[" + i + "] is null")));
    }
    return out;
  }

  private Decision evaluate(Catalog snapshot, Event event) {
    CompiledPlan plan = select(snapshot, event);
    if (plan == null) {
      if (warnedMissing.compareAndSet(false, true)) {
        LOG.warn(
            "Source {}: tracking plan '{}' (version {}) is not loaded; events pass unchecked",
            source,
            policy.planId(),
            policy.pinnedVersion() == null ? "latest" : policy.pinnedVersion());
      }
      return observed(
          event,
          new Decision(Decision.Outcome.PASS, event, List.of(), false, policy.planId(), null),
          List.of());
    }
    if (warnedMissing.get()) {
      warnedMissing.set(false);
    }
    List<Finding> findings = findings(plan, event);

    List<Finding> flagged = new ArrayList<>();
    List<Finding> omitted = new ArrayList<>();
    List<Finding> blocking = new ArrayList<>();
    List<DecisionObserver.Acted> acted = new ArrayList<>(findings.size());
    for (Finding f : findings) {
      String action = action(f);
      acted.add(new DecisionObserver.Acted(f.violation(), action));
      switch (action) {
        case "allow" -> {}
        case "block" -> blocking.add(f);
        case "omit", "omit_property" -> (f.omitPath() != null ? omitted : flagged).add(f);
        default -> flagged.add(f);
      }
    }

    Decision decision;
    if (!blocking.isEmpty()) {
      List<Violation> all = new ArrayList<>();
      for (Finding f : findings) {
        if (flagged.contains(f) || omitted.contains(f) || blocking.contains(f)) {
          all.add(f.violation());
        }
      }
      Event withViolations = attach(event, all);
      decision =
          new Decision(
              Decision.Outcome.BLOCKED,
              withViolations,
              all,
              policy.blocked() == Policy.Blocked.QUARANTINE,
              plan.id(),
              plan.version());
    } else if (!omitted.isEmpty()) {
      Event trimmed = trim(event, omitted);
      Set<String> known = new HashSet<>();
      for (Finding f : findings) {
        known.add(f.type() + '\u0000' + f.violation().field());
      }
      // Removing a property can uncover another violation (an omitted required property is now
      // missing): flag it.
      for (Finding f : findings(plan, trimmed)) {
        if (!f.type().equals(Checker.UNPLANNED_EVENT)
            && known.add(f.type() + '\u0000' + f.violation().field())) {
          acted.add(new DecisionObserver.Acted(f.violation(), "flag"));
          flagged.add(f);
        }
      }
      List<Violation> attached = violations(flagged);
      List<Violation> all = new ArrayList<>(violations(omitted));
      all.addAll(attached);
      decision =
          new Decision(
              attached.isEmpty() ? Decision.Outcome.TRIMMED : Decision.Outcome.FLAGGED,
              attach(trimmed, attached),
              all,
              false,
              plan.id(),
              plan.version());
    } else if (!flagged.isEmpty()) {
      List<Violation> attached = violations(flagged);
      decision =
          new Decision(
              Decision.Outcome.FLAGGED,
              attach(event, attached),
              attached,
              false,
              plan.id(),
              plan.version());
    } else {
      decision =
          new Decision(Decision.Outcome.PASS, event, List.of(), false, plan.id(), plan.version());
    }
    return observed(event, decision, acted);
  }

  private Decision observed(Event original, Decision decision, List<DecisionObserver.Acted> acted) {
    for (DecisionObserver observer : observers) {
      try {
        observer.observe(source, original, decision, acted);
      } catch (RuntimeException e) {
        LOG.warn("Source {}: reporting a governance decision failed", source, e);
      }
    }
    return decision;
  }

  private CompiledPlan select(Catalog snapshot, Event event) {
    if (event.plan() != null && event.plan().version() != null) {
      try {
        CompiledPlan named =
            snapshot.plan(policy.planId(), Integer.parseInt(event.plan().version().trim()));
        if (named != null) {
          return named;
        }
      } catch (NumberFormatException e) {
        // Not a version number this plan uses: fall back to the pinned version.
      }
    }
    if (policy.pinnedVersion() != null) {
      return snapshot.plan(policy.planId(), policy.pinnedVersion());
    }
    return snapshot.latest(policy.planId());
  }

  private List<Finding> findings(CompiledPlan plan, Event event) {
    try {
      return Checker.check(plan, event);
    } catch (RuntimeException e) {
      LOG.warn(
          "Source {}: validating '{}' against {}@{} failed",
          source,
          event.eventType(),
          plan.id(),
          plan.version(),
          e);
      return List.of(
          new Finding(
              new Violation(
                  Checker.VALUE_INVALID,
                  "",
                  "the validator failed on this event: " + e.getClass().getSimpleName()),
              "",
              null));
    }
  }

  private String action(Finding f) {
    return switch (f.type()) {
      case Checker.UNPLANNED_EVENT -> policy.onUnplannedEvent().name().toLowerCase(Locale.ROOT);
      case Checker.UNPLANNED_PROPERTY ->
          policy.onUnplannedProperty().name().toLowerCase(Locale.ROOT);
      default -> policy.onInvalidValue().name().toLowerCase(Locale.ROOT);
    };
  }

  private static List<Violation> violations(List<Finding> findings) {
    List<Violation> out = new ArrayList<>(findings.size());
    for (Finding f : findings) {
      out.add(f.violation());
    }
    return out;
  }

  private static Event attach(Event event, List<Violation> violations) {
    if (violations.isEmpty()) {
      return event;
    }
    Event.Builder b = event.toBuilder();
    violations.forEach(b::addViolation);
    return b.build();
  }

  @SuppressWarnings("unchecked")
  private static Event trim(Event event, List<Finding> omitted) {
    Map<String, Object> m = event.toMap();
    for (Finding f : omitted) {
      Object node = m.get(f.area());
      List<Object> path = f.omitPath();
      for (int i = 0; i < path.size() && node != null; i++) {
        Object seg = path.get(i);
        boolean last = i == path.size() - 1;
        if (node instanceof Map<?, ?> map) {
          if (last) {
            ((Map<String, Object>) map).remove(String.valueOf(seg));
          } else {
            node = map.get(String.valueOf(seg));
          }
        } else if (node instanceof List<?> list
            && seg instanceof Integer idx
            && !last
            && idx < list.size()) {
          node = list.get(idx);
        } else {
          node = null;
        }
      }
    }
    return Event.fromMap(m);
  }
}
