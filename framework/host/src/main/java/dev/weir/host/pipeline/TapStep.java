package dev.weir.host.pipeline;

import java.util.function.Supplier;

/**
 * Tells the {@link Pipeline.Tap} (the admin console's live debugger) about each stored event and
 * its status, on the submitting thread. A failing tap never fails ingestion.
 */
final class TapStep implements IngestStep {
  private final Supplier<Pipeline.Tap> tap;

  TapStep(Supplier<Pipeline.Tap> tap) {
    this.tap = tap;
  }

  @Override
  public void apply(Submission s, Chain chain) {
    Pipeline.Tap t = tap.get();
    for (int j = 0; j < s.results.size(); j++) {
      if (s.quarantined[j]) {
        continue;
      }
      try {
        t.stored(s.sourceId, s.toStore.get(j), s.statuses[s.index[j]]);
      } catch (RuntimeException ignored) {
        // A debugging aid must never fail ingestion.
      }
    }
    chain.proceed(s);
  }
}
