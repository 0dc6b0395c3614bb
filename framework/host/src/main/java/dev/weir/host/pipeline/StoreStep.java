package dev.weir.host.pipeline;

import dev.weir.realtime.AppendResult;
import dev.weir.realtime.RealtimeStore;
import dev.weir.sdk.StoreUnavailableException;
import dev.weir.sdk.SubmitResult.EventStatus;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Appends what governance kept (and quarantined) to the store, which deduplicates it and makes it
 * durable before returning, and sets each kept event's status ({@code STORED} or {@code
 * DUPLICATE}); times the append. Nothing to store: nothing happens and the chain ends here.
 *
 * @throws StoreUnavailableException when the store cannot write (then nothing was stored)
 */
final class StoreStep implements IngestStep {
  private final RealtimeStore store;
  private final Supplier<Timer> appendTimer;

  /**
   * @param appendTimer the {@code weir.store.append} timer, or null before meters are bound
   */
  StoreStep(RealtimeStore store, Supplier<Timer> appendTimer) {
    this.store = store;
    this.appendTimer = appendTimer;
  }

  @Override
  public void apply(Submission s, Chain chain) {
    if (s.toStore.isEmpty()) {
      return;
    }
    List<AppendResult> results;
    long appendStart = System.nanoTime();
    try {
      results = store.append(s.toStore);
    } catch (IOException e) {
      throw new StoreUnavailableException("the store cannot write: " + e.getMessage(), e);
    } finally {
      Timer t = appendTimer.get();
      if (t != null) {
        t.record(System.nanoTime() - appendStart, TimeUnit.NANOSECONDS);
      }
    }
    s.results = results;
    for (int j = 0; j < results.size(); j++) {
      if (s.quarantined[j]) {
        continue;
      }
      s.statuses[s.index[j]] =
          switch (results.get(j).status()) {
            case STORED -> EventStatus.STORED;
            case DUPLICATE -> EventStatus.DUPLICATE;
            // Stamped first, so the store has nothing to reject; report it as not delivered if it
            // ever does.
            case REJECTED -> EventStatus.BLOCKED;
          };
    }
    chain.proceed(s);
  }
}
