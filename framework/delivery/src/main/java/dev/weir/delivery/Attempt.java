package dev.weir.delivery;

import dev.weir.sdk.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The result of one pass through the delivery chain: the items, the destination's outcome for each
 * (in order) and when they arrived, and what has been decided for each so far ({@link Verdict}).
 * {@link #settled()} attempts ({@link #done()}) need nothing more from outer steps (the runner
 * halted, or a step such as bisection already delivered the items through sub-attempts). Owned by
 * the one worker running the chain; not thread-safe.
 */
final class Attempt {
  /** What is decided for one item. */
  enum Verdict {
    /** Nothing yet. */
    OPEN,
    /** Delivered and resolved. */
    DELIVERED,
    /** To be retried; {@link #giveUp} says why if it must not be. */
    RETRY,
    /** Scheduled for a later attempt; nothing more to do now. */
    SCHEDULED,
    /** To be dead-lettered with {@link #deadReason} and {@link #classification}. */
    DEAD,
    /** Dead-lettered and resolved. */
    RESOLVED
  }

  private static final Attempt SETTLED = new Attempt(List.of(), null, 0, true);

  final List<Item> items;
  final List<Outcome> outcomes;
  final long at;
  private final boolean settled;
  final Verdict[] verdicts;
  final String[] deadReason;
  final String[] classification;

  private Attempt(List<Item> items, List<Outcome> outcomes, long at, boolean settled) {
    this.items = items;
    this.outcomes = outcomes;
    this.at = at;
    this.settled = settled;
    this.verdicts = new Verdict[items.size()];
    Arrays.fill(verdicts, Verdict.OPEN);
    this.deadReason = new String[items.size()];
    this.classification = new String[items.size()];
  }

  /** The destination's answer for {@code items}, received at {@code at} (epoch millis). */
  static Attempt of(List<Item> items, List<Outcome> outcomes, long at) {
    return new Attempt(items, outcomes, at, false);
  }

  /** Nothing for outer steps to do. */
  static Attempt done() {
    return SETTLED;
  }

  /** Whether outer steps have nothing to do (halted, or handled by sub-attempts). */
  boolean settled() {
    return settled;
  }

  /** A copy with these outcomes instead (same items and time). */
  Attempt withOutcomes(List<Outcome> replaced) {
    return new Attempt(items, replaced, at, false);
  }

  void dead(int i, String reason, String classification) {
    verdicts[i] = Verdict.DEAD;
    deadReason[i] = reason;
    this.classification[i] = classification;
  }

  /** The indexes whose verdict is {@code v}. */
  List<Integer> indexes(Verdict v) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < verdicts.length; i++) {
      if (verdicts[i] == v) {
        out.add(i);
      }
    }
    return out;
  }

  static List<Outcome> all(int n, Outcome o) {
    List<Outcome> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(o);
    }
    return out;
  }
}
