package dev.weir.admin;

import java.util.List;

/**
 * Whether Weir is ready for traffic, and if not, why. Immutable.
 *
 * @param ready true only after recovery has finished and plugins have started, and while the store
 *     accepts writes
 * @param reasons why it is not ready (empty when ready)
 */
public record Readiness(boolean ready, List<String> reasons) {
  public Readiness {
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
  }

  public static Readiness up() {
    return new Readiness(true, List.of());
  }

  public static Readiness down(String... reasons) {
    return new Readiness(false, List.of(reasons));
  }
}
