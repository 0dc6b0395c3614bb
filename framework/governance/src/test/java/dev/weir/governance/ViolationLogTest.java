package dev.weir.governance;

import static dev.weir.governance.Fixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.sdk.Event;
import dev.weir.sdk.Violation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ViolationLogTest {
  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    Instant now = Instant.parse("2026-11-21T10:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  static Decision flagged(Event e) {
    return new Decision(
        Decision.Outcome.FLAGGED,
        e,
        List.of(new Violation("value-invalid", "event_properties.x", "bad")),
        false,
        "shop",
        4);
  }

  @Test
  void queryBySinceAnswersWhatBrokeSinceARelease() {
    ManualClock clock = new ManualClock();
    ViolationLog log = new ViolationLog(100, Set.of(), clock);
    log.record(
        "web", flagged(event("Before Release", Map.of())), event("Before Release", Map.of()));
    Instant release = clock.now.plusSeconds(3600);
    clock.now = release.plusSeconds(60);
    log.record("web", flagged(event("After Release", Map.of())), event("After Release", Map.of()));
    log.record("ios", flagged(event("After Release", Map.of())), event("After Release", Map.of()));

    assertThat(log.query("web", release, 10))
        .extracting(ViolationRecord::eventType)
        .containsExactly("After Release");
    assertThat(log.query(null, release, 10))
        .extracting(ViolationRecord::source)
        .containsExactly("ios", "web");
    assertThat(log.query(null, null, 10)).hasSize(3);
    assertThat(log.query(null, null, 2)).hasSize(2);
    Map<String, Object> json = log.queryJson("ios", null, 1).get(0);
    assertThat(json)
        .containsEntry("source", "ios")
        .containsEntry("plan", "shop")
        .containsEntry("plan_version", 4)
        .containsEntry("outcome", "flagged")
        .containsEntry("at", "2026-11-21T11:01:00Z");
    assertThat(json.get("violations"))
        .isEqualTo(
            List.of(
                Map.of("type", "value-invalid", "field", "event_properties.x", "message", "bad")));
  }

  @Test
  void theLogIsBoundedPerSourceAndEvictsTheOldestFirst() {
    ViolationLog log = new ViolationLog(3);
    Event quiet = event("Quiet", Map.of());
    log.record("quiet", flagged(quiet), quiet);
    for (int i = 0; i < 10; i++) {
      Event e = event("E" + i, Map.of());
      log.record("noisy", flagged(e), e);
    }
    assertThat(log.size()).isEqualTo(4);
    assertThat(log.query("noisy", null, 10))
        .extracting(ViolationRecord::eventType)
        .containsExactly("E9", "E8", "E7");
    assertThat(log.query(null, null, 10))
        .extracting(ViolationRecord::eventType)
        .containsExactly("E9", "E8", "E7", "Quiet");
    assertThat(log.query(null, null, 2))
        .extracting(ViolationRecord::eventType)
        .containsExactly("E9", "E8");
  }

  @Test
  void samplesMaskConfiguredPiiFieldsAndAnythingThatLooksLikeASecret() {
    ViolationLog log = new ViolationLog(10, Set.of("email", "event_properties.card_last4"));
    Event e =
        Event.builder()
            .eventType("Signed Up")
            .userId("u-1")
            .ip("198.51.100.7")
            .eventProperties(
                Map.of(
                    "card_last4",
                    "4242",
                    "email",
                    "a@b.example",
                    "api_key",
                    "sk_live_123",
                    "nested",
                    Map.of("Authorization", "Bearer xyz", "email", "c@d.example", "plan", "pro"),
                    "user",
                    Map.of("card_last4", "kept: only event_properties.card_last4 is configured")))
            .build();
    log.record("web", flagged(e), e);
    Map<String, Object> sample = log.query(null, null, 1).get(0).sample();
    assertThat(sample).containsEntry("user_id", "u-1").containsEntry("ip", "198.51.100.7");
    @SuppressWarnings("unchecked")
    Map<String, Object> props = (Map<String, Object>) sample.get("event_properties");
    assertThat(props)
        .containsEntry("card_last4", ViolationLog.MASK)
        .containsEntry("email", ViolationLog.MASK)
        .containsEntry("api_key", ViolationLog.MASK);
    assertThat(props.get("nested"))
        .isEqualTo(
            Map.of("Authorization", ViolationLog.MASK, "email", ViolationLog.MASK, "plan", "pro"));
    assertThat(props.get("user"))
        .isEqualTo(Map.of("card_last4", "kept: only event_properties.card_last4 is configured"));
    assertThat(sample.toString())
        .doesNotContain("sk_live_123", "Bearer xyz", "a@b.example", "4242");
  }

  @Test
  void blockedEventsAreLoggedWithTheirOutcome() {
    TrackingPlans plans = TrackingPlans.open(Fixtures.EXAMPLES);
    ViolationLog log = new ViolationLog(10);
    plans
        .enforcer(
            "web",
            Map.of("id", "ecommerce", "on_unplanned_event", "block"),
            new SimpleMeterRegistry(),
            log)
        .evaluate(event("App Crashed", Map.of()));
    assertThat(log.query("web", null, 10))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.outcome()).isEqualTo(Decision.Outcome.BLOCKED);
              assertThat(r.planVersion()).isEqualTo(3);
              assertThat(r.violations())
                  .extracting(Violation::type)
                  .containsExactly("unplanned-event");
            });
  }

  @Test
  void metricSeriesFromClientSuppliedNamesAreCappedPerSource() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    GovernanceMetrics metrics = new GovernanceMetrics(registry, "web");
    for (int i = 0; i < GovernanceMetrics.MAX_SERIES + 50; i++) {
      metrics.violation("shop", 1, "Event " + i, "unplanned-event", "event_type", "flag");
    }
    assertThat(registry.find(GovernanceMetrics.VIOLATIONS).counters())
        .hasSizeLessThanOrEqualTo(GovernanceMetrics.MAX_SERIES + 1);
    assertThat(
            registry
                .get(GovernanceMetrics.VIOLATIONS)
                .tags("event_type", GovernanceMetrics.OTHER)
                .counter()
                .count())
        .isEqualTo(50.0);
  }
}
