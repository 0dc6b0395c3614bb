package dev.weir.host.pipeline;

import dev.weir.governance.Enforcer;
import dev.weir.governance.TrackingPlans;
import dev.weir.governance.ViolationLog;
import dev.weir.sdk.Event;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Governance} backed by {@link TrackingPlans}: one {@link Enforcer} per source that names a
 * tracking plan; other sources pass unchecked. Plan files are watched and reloaded while running.
 * Thread-safe; close once.
 */
public final class PlanGovernance implements Governance, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PlanGovernance.class);

  private final TrackingPlans plans;
  private final Map<String, Enforcer> enforcers;
  private final ViolationLog violations;

  private PlanGovernance(
      TrackingPlans plans, Map<String, Enforcer> enforcers, ViolationLog violations) {
    this.plans = plans;
    this.enforcers = enforcers;
    this.violations = violations;
  }

  /**
   * Loads {@code planFiles}, starts watching them, and builds an enforcer for each entry of {@code
   * policies} (source id to its snake_case {@code tracking_plan} settings).
   *
   * @throws IllegalArgumentException when a policy is invalid (names the source and key)
   */
  public static PlanGovernance open(
      List<Path> planFiles, Map<String, Map<String, Object>> policies, MeterRegistry meters) {
    TrackingPlans plans = TrackingPlans.open(planFiles);
    try {
      for (var failure : plans.lastReload().failures()) {
        LOG.warn("Tracking plan not loaded: {}", failure.getMessage());
      }
      if (!planFiles.isEmpty()) {
        try {
          plans.watch();
        } catch (IOException e) {
          LOG.warn("Cannot watch tracking plan files ({}); edits need a restart", e.toString());
        }
      }
      ViolationLog log = new ViolationLog(1_000);
      Map<String, Enforcer> enforcers = new java.util.HashMap<>();
      for (Map.Entry<String, Map<String, Object>> e : policies.entrySet()) {
        try {
          enforcers.put(e.getKey(), plans.enforcer(e.getKey(), e.getValue(), meters, log));
        } catch (IllegalArgumentException ex) {
          throw new IllegalArgumentException(
              "source '" + e.getKey() + "' tracking_plan: " + ex.getMessage(), ex);
        }
      }
      return new PlanGovernance(plans, Map.copyOf(enforcers), log);
    } catch (RuntimeException e) {
      plans.close();
      throw e;
    }
  }

  /** The recent violating events (for the admin API). */
  public ViolationLog violations() {
    return violations;
  }

  /** The loaded plans (reload, versions). */
  public TrackingPlans plans() {
    return plans;
  }

  @Override
  public Governance.Decision check(String sourceId, Event event) {
    Enforcer enforcer = enforcers.get(sourceId);
    if (enforcer == null) {
      return Governance.Decision.keep(event);
    }
    dev.weir.governance.Decision d = enforcer.evaluate(event);
    if (d.accepted()) {
      return Governance.Decision.keep(d.event());
    }
    return d.quarantine()
        ? Governance.Decision.quarantine(d.event())
        : Governance.Decision.block(d.event());
  }

  @Override
  public void close() {
    plans.close();
  }
}
