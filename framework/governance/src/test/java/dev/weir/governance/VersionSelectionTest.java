package dev.weir.governance;

import static dev.weir.governance.Fixtures.event;
import static dev.weir.governance.Fixtures.withPlanVersion;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VersionSelectionTest {
  static TrackingPlans plans;

  @BeforeAll
  static void load() {
    plans = TrackingPlans.open(Fixtures.EXAMPLES);
  }

  static Enforcer enforcer(Map<String, ?> settings) {
    return plans.enforcer("web", settings, new SimpleMeterRegistry(), new ViolationLog(10));
  }

  // "Wishlist Added" exists in version 2 only; "Product Viewed".price accepts strings in version 2
  // only.

  @Test
  void anEventNamingALoadedVersionIsCheckedAgainstThatVersion() {
    Decision d =
        enforcer(Map.of("id", "ecommerce", "version", 3))
            .evaluate(withPlanVersion(event("Wishlist Added", Map.of("product_id", "p")), "2"));
    assertThat(d.planVersion()).isEqualTo(2);
    assertThat(d.outcome()).isEqualTo(Decision.Outcome.PASS);
  }

  @Test
  void anEventNamingNoVersionIsCheckedAgainstThePinnedVersion() {
    Decision d =
        enforcer(Map.of("id", "ecommerce", "version", 2))
            .evaluate(event("Product Viewed", Map.of("product_id", "p", "price", "9.99")));
    assertThat(d.planVersion()).isEqualTo(2);
    assertThat(d.outcome()).isEqualTo(Decision.Outcome.PASS);
  }

  @Test
  void anEventNamingAVersionThatIsNotLoadedFallsBackToThePinnedVersion() {
    Decision d =
        enforcer(Map.of("id", "ecommerce", "version", 3))
            .evaluate(
                withPlanVersion(
                    event("Product Viewed", Map.of("product_id", "p", "price", "9.99")), "7"));
    assertThat(d.planVersion()).isEqualTo(3);
    assertThat(d.violations()).extracting(v -> v.type()).containsExactly("type-mismatch");
  }

  @Test
  void aNonNumericVersionFallsBackToThePinnedVersion() {
    Decision d =
        enforcer(Map.of("id", "ecommerce", "version", 2))
            .evaluate(
                withPlanVersion(event("Wishlist Added", Map.of("product_id", "p")), "v3-beta"));
    assertThat(d.planVersion()).isEqualTo(2);
  }

  @Test
  void withoutAPinnedVersionTheHighestLoadedVersionApplies() {
    Decision d =
        enforcer(Map.of("id", "ecommerce"))
            .evaluate(event("Wishlist Added", Map.of("product_id", "p")));
    assertThat(d.planVersion()).isEqualTo(3);
    assertThat(d.violations()).extracting(v -> v.type()).containsExactly("unplanned-event");
  }
}
