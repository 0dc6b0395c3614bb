package dev.weir.governance;

import static dev.weir.governance.Fixtures.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.governance.Decision.Outcome;
import dev.weir.governance.Policy.Blocked;
import dev.weir.governance.Policy.InvalidValue;
import dev.weir.governance.Policy.UnplannedEvent;
import dev.weir.governance.Policy.UnplannedProperty;
import dev.weir.sdk.Event;
import dev.weir.sdk.Violation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EnforcerTest {
  static TrackingPlans plans;

  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final ViolationLog log = new ViolationLog(100);

  @BeforeAll
  static void loadExamplePlans() {
    plans = TrackingPlans.open(Fixtures.EXAMPLES);
    assertThat(plans.lastReload().failures()).isEmpty();
  }

  Enforcer enforcer(Policy policy) {
    return plans.enforcer("web", policy, meters, log);
  }

  Enforcer enforcer(Map<String, ?> settings) {
    return plans.enforcer("web", settings, meters, log);
  }

  static Stream<Arguments> everyActionCombination() {
    List<Arguments> out = new ArrayList<>();
    for (UnplannedEvent ue : UnplannedEvent.values()) {
      for (UnplannedProperty up : UnplannedProperty.values()) {
        for (InvalidValue iv : InvalidValue.values()) {
          for (Blocked b : Blocked.values()) {
            out.add(Arguments.of(ue, up, iv, b));
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2} {3}")
  @MethodSource("everyActionCombination")
  void everyActionCombinationDecidesAsConfigured(
      UnplannedEvent ue, UnplannedProperty up, InvalidValue iv, Blocked b) {
    Enforcer enforcer = enforcer(new Policy("ecommerce", 3, ue, up, iv, b));

    Event clean = event("Cart Viewed", Map.of("item_count", 2, "cart_value", 10.5));
    Decision cleanDecision = enforcer.evaluate(clean);
    assertThat(cleanDecision.outcome()).isEqualTo(Outcome.PASS);
    assertThat(cleanDecision.event()).isEqualTo(clean);

    // One invalid value (item_count below its minimum) and one unplanned property (debug_build).
    Event mixed = event("Cart Viewed", Map.of("item_count", -1, "debug_build", true));
    Decision d = enforcer.evaluate(mixed);
    Map<String, Object> props = d.event().eventProperties();
    switch (iv) {
      case BLOCK -> {
        assertThat(d.outcome()).isEqualTo(Outcome.BLOCKED);
        assertThat(d.quarantine()).isEqualTo(b == Blocked.QUARANTINE);
        assertThat(d.event().violations())
            .extracting(Violation::field)
            .containsExactlyInAnyOrder(
                "event_properties.item_count", "event_properties.debug_build");
        assertThat(props).containsKeys("item_count", "debug_build");
      }
      case OMIT_PROPERTY -> {
        assertThat(props).doesNotContainKey("item_count");
        if (up == UnplannedProperty.OMIT) {
          assertThat(d.outcome()).isEqualTo(Outcome.TRIMMED);
          assertThat(props).isEmpty();
          assertThat(d.event().violations()).isEmpty();
        } else {
          assertThat(d.outcome()).isEqualTo(Outcome.FLAGGED);
          assertThat(props).containsKey("debug_build");
          assertThat(d.event().violations())
              .extracting(Violation::type)
              .containsExactly("unplanned-property");
        }
      }
      case FLAG -> {
        assertThat(d.outcome()).isEqualTo(Outcome.FLAGGED);
        assertThat(props).containsEntry("item_count", -1);
        if (up == UnplannedProperty.OMIT) {
          assertThat(props).doesNotContainKey("debug_build");
          assertThat(d.event().violations())
              .extracting(Violation::type)
              .containsExactly("value-invalid");
        } else {
          assertThat(props).containsKey("debug_build");
          assertThat(d.event().violations())
              .extracting(Violation::type)
              .containsExactlyInAnyOrder("value-invalid", "unplanned-property");
        }
      }
      default -> throw new AssertionError(iv);
    }
    assertThat(d.violations()).hasSize(2);

    Decision unplanned = enforcer.evaluate(event("App Crashed", Map.of("screen", "home")));
    switch (ue) {
      case ALLOW -> {
        assertThat(unplanned.outcome()).isEqualTo(Outcome.PASS);
        assertThat(unplanned.violations()).isEmpty();
      }
      case FLAG -> {
        assertThat(unplanned.outcome()).isEqualTo(Outcome.FLAGGED);
        assertThat(unplanned.event().violations())
            .containsExactly(
                new Violation(
                    "unplanned-event",
                    "event_type",
                    "event type 'App Crashed' is not in plan ecommerce version 3"));
      }
      case BLOCK -> {
        assertThat(unplanned.outcome()).isEqualTo(Outcome.BLOCKED);
        assertThat(unplanned.quarantine()).isEqualTo(b == Blocked.QUARANTINE);
      }
      default -> throw new AssertionError(ue);
    }
  }

  @Test
  void omittingAnInvalidRequiredPropertyFlagsItAsMissing() {
    Enforcer enforcer = enforcer(Map.of("id", "ecommerce", "on_invalid_value", "omit_property"));
    Decision d =
        enforcer.evaluate(
            event("Product Added", Map.of("product_id", "SKU-1", "quantity", "2", "price", 5.0)));
    assertThat(d.outcome()).isEqualTo(Outcome.FLAGGED);
    assertThat(d.event().eventProperties()).doesNotContainKey("quantity").containsKey("price");
    assertThat(d.event().violations())
        .extracting(Violation::type, Violation::field)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("required-missing", "event_properties.quantity"));
    assertThat(d.violations())
        .extracting(Violation::type)
        .containsExactly("type-mismatch", "required-missing");
  }

  @Test
  void missingRequiredPropertyCannotBeOmittedSoItIsFlagged() {
    Enforcer enforcer = enforcer(Map.of("id", "ecommerce", "on_invalid_value", "omit-property"));
    Decision d =
        enforcer.evaluate(event("Product Added", Map.of("product_id", "SKU-1", "quantity", 1)));
    assertThat(d.outcome()).isEqualTo(Outcome.FLAGGED);
    assertThat(d.event().violations())
        .containsExactly(
            new Violation(
                "required-missing",
                "event_properties.price",
                "required property 'price' not found"));
  }

  @Test
  void flaggedViolationsTravelInTheCanonicalEventJson() throws Exception {
    Decision d =
        enforcer(Map.of("id", "ecommerce"))
            .evaluate(
                event(
                    "Product Added", Map.of("product_id", "SKU-1", "quantity", "two", "price", 1)));
    Map<String, Object> json = d.event().toMap();
    assertThat(json.get("violations"))
        .isEqualTo(
            List.of(
                Map.of(
                    "type",
                    "type-mismatch",
                    "field",
                    "event_properties.quantity",
                    "message",
                    "string found, integer expected")));
    Event back = Fixtures.parse(Fixtures.JSON.writeValueAsString(json));
    assertThat(back.violations()).isEqualTo(d.event().violations());
  }

  @Test
  void nestedViolationsNameTheirJsonPath() {
    Decision d =
        enforcer(Map.of("id", "ecommerce"))
            .evaluate(
                event(
                    "Order Completed",
                    Map.of(
                        "order_id",
                        "ORD-000001",
                        "total",
                        3,
                        "currency",
                        "EUR",
                        "items",
                        List.of(
                            Map.of("sku", "a", "quantity", 1),
                            Map.of("sku", "b", "quantity", 0)))));
    assertThat(d.violations())
        .extracting(Violation::type, Violation::field)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "value-invalid", "event_properties.items[1].quantity"));
  }

  @Test
  void omitPropertyRemovesTheWholeTopLevelPropertyHoldingANestedError() {
    Decision d =
        enforcer(Map.of("id", "ecommerce", "on_invalid_value", "omit_property"))
            .evaluate(
                event(
                    "Order Completed",
                    Map.of(
                        "order_id",
                        "ORD-000001",
                        "total",
                        3,
                        "currency",
                        "EUR",
                        "screen",
                        "done",
                        "items",
                        List.of(Map.of("sku", "b", "quantity", 0)))));
    assertThat(d.outcome()).isEqualTo(Outcome.TRIMMED);
    assertThat(d.event().eventProperties())
        .containsOnlyKeys("order_id", "total", "currency", "screen");
  }

  @Test
  void identifyCallsAreCheckedAgainstThePlanUserPropertiesWithoutRequiringAnything() {
    Enforcer enforcer = enforcer(Map.of("id", "ecommerce"));
    Event ok =
        Event.builder()
            .eventType("$identify")
            .userId("u")
            .userProperties(
                Map.of(
                    "$set",
                    Map.of("plan", "plus"),
                    "$add",
                    Map.of("lifetime_orders", 1),
                    "marketing_opt_in",
                    true))
            .build();
    assertThat(enforcer.evaluate(ok).outcome()).isEqualTo(Outcome.PASS);

    Event bad =
        Event.builder()
            .eventType("$identify")
            .userId("u")
            .userProperties(
                Map.of(
                    "$set",
                    Map.of("plan", "gold", "email", "not-an-email"),
                    "$unset",
                    Map.of("shoe_size", "-"),
                    "marketing_opt_in",
                    "yes"))
            .build();
    assertThat(enforcer.evaluate(bad).violations())
        .extracting(Violation::type, Violation::field)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("value-invalid", "user_properties.$set.plan"),
            org.assertj.core.groups.Tuple.tuple("value-invalid", "user_properties.$set.email"),
            org.assertj.core.groups.Tuple.tuple(
                "unplanned-property", "user_properties.$unset.shoe_size"),
            org.assertj.core.groups.Tuple.tuple(
                "type-mismatch", "user_properties.marketing_opt_in"));
  }

  @Test
  void unplannedUserPropertyIsOmittedFromInsideItsOperation() {
    Enforcer enforcer = enforcer(Map.of("id", "ecommerce", "on_unplanned_property", "omit"));
    Decision d =
        enforcer.evaluate(
            Event.builder()
                .eventType("$identify")
                .userId("u")
                .userProperties(Map.of("$set", Map.of("plan", "plus", "favourite_colour", "teal")))
                .build());
    assertThat(d.outcome()).isEqualTo(Outcome.TRIMMED);
    assertThat(d.event().userProperties()).isEqualTo(Map.of("$set", Map.of("plan", "plus")));
  }

  @Test
  void groupIdentifyCallsAreCheckedAgainstThePlanGroupProperties() {
    Enforcer enforcer =
        plans.enforcer(
            "saas-web",
            Map.of("id", "saas", "on_invalid_value", "block", "blocked", "quarantine"),
            meters,
            log);
    Decision d =
        enforcer.evaluate(
            Event.builder()
                .eventType("$groupidentify")
                .userId("u")
                .groups(Map.of("company", "globex"))
                .groupProperties(Map.of("$set", Map.of("seats", 0, "company_name", "Globex")))
                .build());
    assertThat(d.outcome()).isEqualTo(Outcome.BLOCKED);
    assertThat(d.quarantine()).isTrue();
    assertThat(d.event().violations())
        .extracting(Violation::field)
        .containsExactly("group_properties.$set.seats");
  }

  @Test
  void commonSchemaAppliesToEveryEventIncludingAllowedUnplannedOnes() {
    Enforcer enforcer = enforcer(Map.of("id", "ecommerce", "on_unplanned_event", "allow"));
    Decision unplanned = enforcer.evaluate(event("App Crashed", Map.of("screen", 42)));
    assertThat(unplanned.outcome()).isEqualTo(Outcome.FLAGGED);
    assertThat(unplanned.violations())
        .containsExactly(
            new Violation(
                "type-mismatch", "event_properties.screen", "integer found, string expected"));
    Decision planned = enforcer.evaluate(event("Cart Viewed", Map.of("screen", "x".repeat(65))));
    assertThat(planned.violations())
        .extracting(Violation::field)
        .containsExactly("event_properties.screen");
  }

  @Test
  void draft07PlansValidateWithDraft07Semantics() {
    Enforcer enforcer = plans.enforcer("saas-web", Map.of("id", "saas"), meters, log);
    Decision d =
        enforcer.evaluate(
            event(
                "Subscription Upgraded",
                Map.of("from_plan", "team", "to_plan", "enterprise", "seats", 5)));
    assertThat(d.violations())
        .extracting(Violation::type, Violation::field)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("value-invalid", "event_properties.seats"));
  }

  @Test
  void everyViolationIsCountedBySourceVersionEventTypeViolationTypeAndField() {
    Enforcer enforcer = enforcer(Map.of("id", "ecommerce", "version", 3));
    for (int i = 0; i < 3; i++) {
      enforcer.evaluate(event("Cart Viewed", Map.of("debug_build", true)));
    }
    enforcer.evaluate(event("Cart Viewed", Map.of()));
    assertThat(
            meters
                .get(GovernanceMetrics.VIOLATIONS)
                .tags(
                    "source",
                    "web",
                    "plan",
                    "ecommerce",
                    "plan_version",
                    "3",
                    "event_type",
                    "Cart Viewed",
                    "violation_type",
                    "unplanned-property",
                    "field",
                    "event_properties.debug_build",
                    "action",
                    "keep")
                .counter()
                .count())
        .isEqualTo(3.0);
    assertThat(
            meters
                .get(GovernanceMetrics.EVENTS)
                .tags("source", "web", "outcome", "flagged")
                .counter()
                .count())
        .isEqualTo(3.0);
    assertThat(
            meters
                .get(GovernanceMetrics.EVENTS)
                .tags("source", "web", "outcome", "pass")
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  @Test
  void allowedUnplannedEventsAreStillCounted() {
    enforcer(Map.of("id", "ecommerce", "on_unplanned_event", "allow"))
        .evaluate(event("App Crashed", Map.of()));
    assertThat(
            meters
                .get(GovernanceMetrics.VIOLATIONS)
                .tags(
                    "violation_type",
                    "unplanned-event",
                    "action",
                    "allow",
                    "event_type",
                    "App Crashed")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(log.size()).isZero();
  }

  @Test
  void batchDecisionsLineUpWithTheirInputIndexes() {
    Enforcer enforcer = enforcer(Map.of("id", "ecommerce", "on_invalid_value", "block"));
    List<Decision> ds =
        enforcer.evaluateAll(
            List.of(
                event("Cart Viewed", Map.of()),
                event("Cart Viewed", Map.of("item_count", "many")),
                event("Checkout Started", Map.of("cart_value", 1))));
    assertThat(ds)
        .extracting(Decision::outcome)
        .containsExactly(Outcome.PASS, Outcome.BLOCKED, Outcome.PASS);
    assertThat(ds.get(1).violations())
        .extracting(Violation::field)
        .containsExactly("event_properties.item_count");
  }

  @Test
  void anEventForAPlanThatIsNotLoadedPassesUncheckedAndSaysSo() {
    Decision d =
        enforcer(Map.of("id", "no-such-plan")).evaluate(event("Cart Viewed", Map.of("x", 1)));
    assertThat(d.outcome()).isEqualTo(Outcome.PASS);
    assertThat(d.planVersion()).isNull();
  }

  @Test
  void violationsAreLoggedWithMaskedSamplesQueryableBySource() {
    enforcer(Map.of("id", "ecommerce"))
        .evaluate(
            Event.builder()
                .eventType("$identify")
                .userId("u-9")
                .ip("203.0.113.9")
                .userProperties(Map.of("$set", Map.of("email", "ana@example.com", "plan", "gold")))
                .build());
    plans
        .enforcer("ios", Map.of("id", "ecommerce"), meters, log)
        .evaluate(event("App Crashed", Map.of()));
    List<ViolationRecord> web = log.query("web", null, 10);
    assertThat(web).hasSize(1);
    Map<String, Object> sample = web.get(0).sample();
    assertThat(sample).containsEntry("ip", ViolationLog.MASK).containsEntry("user_id", "u-9");
    assertThat(sample.get("user_properties"))
        .isEqualTo(Map.of("$set", Map.of("email", ViolationLog.MASK, "plan", "gold")));
    assertThat(log.query(null, null, 10))
        .extracting(ViolationRecord::source)
        .containsExactly("ios", "web");
  }

  @Test
  void policySettingsAreParsedFromTheWorkspaceMapShape() {
    Policy p =
        Policy.fromMap(
            Map.of(
                "id",
                "ecommerce",
                "version",
                3,
                "on_unplanned_event",
                "block",
                "on_unplanned_property",
                "omit",
                "on_invalid_value",
                "omit-property",
                "blocked",
                "quarantine"));
    assertThat(p)
        .isEqualTo(
            new Policy(
                "ecommerce",
                3,
                UnplannedEvent.BLOCK,
                UnplannedProperty.OMIT,
                InvalidValue.OMIT_PROPERTY,
                Blocked.QUARANTINE));
    assertThat(Policy.fromMap(Map.of("id", "x"))).isEqualTo(Policy.lenient("x"));
    assertThatThrownBy(() -> Policy.fromMap(Map.of("id", "x", "on_invalid_value", "explode")))
        .hasMessageContaining("tracking_plan.on_invalid_value")
        .hasMessageContaining("flag|omit_property|block");
    assertThatThrownBy(() -> Policy.fromMap(Map.of("id", "x", "versoin", 3)))
        .hasMessageContaining("tracking_plan.versoin");
    assertThatThrownBy(() -> Policy.fromMap(Map.of("id", "x", "version", "three")))
        .hasMessageContaining("tracking_plan.version");
  }

  @Test
  void thePropertyWhereTheSegmentFormatKeepsUnmappedFieldsIsNeverUnplanned() {
    Enforcer enforcer =
        enforcer(
            new Policy(
                "ecommerce",
                3,
                UnplannedEvent.FLAG,
                UnplannedProperty.KEEP,
                InvalidValue.FLAG,
                Blocked.DROP));
    Event e =
        event(
            "Cart Viewed",
            Map.of("item_count", 2, "cart_value", 10.5, "$segment", Map.of("channel", "server")));
    Decision d = enforcer.evaluate(e);
    assertThat(d.outcome()).isEqualTo(Outcome.PASS);
    assertThat(d.violations()).isEmpty();
  }
}
