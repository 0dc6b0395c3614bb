package dev.weir.realtime;

import java.util.List;

/** One cohort per bucket with users, in time order. */
public record RetentionResult(List<Cohort> cohorts) {
  /** Users first doing the start event in the bucket at {@code start}; returned per period 1..n. */
  public record Cohort(long start, long users, List<Long> returned) {
    public Cohort {
      returned = List.copyOf(returned);
    }
  }

  public RetentionResult {
    cohorts = List.copyOf(cohorts);
  }
}
