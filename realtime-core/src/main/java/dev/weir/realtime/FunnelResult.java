package dev.weir.realtime;

import java.util.List;

/**
 * Distinct users reaching each step, in step order, and the median time (ms) from the first step to
 * each step over the users reaching it (the lower median; null for the first step and for steps
 * nobody reached). A user's path is the earliest first step that gets them furthest.
 */
public record FunnelResult(List<Long> usersPerStep, List<Long> medianMillisToStep) {
  public FunnelResult {
    usersPerStep = List.copyOf(usersPerStep);
    medianMillisToStep =
        java.util.Collections.unmodifiableList(new java.util.ArrayList<>(medianMillisToStep));
  }
}
