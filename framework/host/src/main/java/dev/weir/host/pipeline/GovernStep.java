package dev.weir.host.pipeline;

import dev.weir.sdk.SubmitResult.EventStatus;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs the source's tracking plan ({@link Governance}) on each stamped event: kept events (possibly
 * annotated with violations) go to the store; blocked ones are {@code BLOCKED} and either dropped
 * (counted) or stored under the source's quarantine id.
 */
final class GovernStep implements IngestStep {
  private final Governance governance;
  private final LongAdder dropped;

  GovernStep(Governance governance, LongAdder dropped) {
    this.governance = governance;
    this.dropped = dropped;
  }

  @Override
  public void apply(Submission s, Chain chain) {
    for (int i = 0; i < s.stamped.length; i++) {
      Governance.Decision d = governance.check(s.sourceId, s.stamped[i]);
      if (d.blocked()) {
        s.statuses[i] = EventStatus.BLOCKED;
        if (d.quarantine()) {
          s.store(
              d.event().toBuilder().sourceId(Governance.quarantineId(s.sourceId)).build(), i, true);
        } else {
          dropped.increment();
        }
      } else {
        s.store(d.event(), i, false);
      }
    }
    chain.proceed(s);
  }
}
