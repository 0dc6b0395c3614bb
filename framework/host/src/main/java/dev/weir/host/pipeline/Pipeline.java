package dev.weir.host.pipeline;

import dev.weir.realtime.AppendResult;
import dev.weir.realtime.RealtimeStore;
import dev.weir.sdk.Event;
import dev.weir.sdk.StoreUnavailableException;
import dev.weir.sdk.SubmitResult;
import dev.weir.sdk.SubmitResult.EventStatus;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;

/**
 * The way in: stamps each submitted event ({@code source_id}, {@code upload_time}, default {@code time}), runs
 * governance, and appends the kept (and quarantined) events to the store, which deduplicates them and makes them
 * durable before {@link #submit} completes. Thread-safe.
 */
public final class Pipeline {
  private final RealtimeStore store;
  private final Governance governance;
  private final Clock clock;
  private final Runnable afterAppend;
  private final LongAdder dropped = new LongAdder();
  private volatile Tap tap = (source, event, status) -> { };

  /** Hears every event after the store: called on the submitting thread, must not block. */
  @FunctionalInterface
  public interface Tap {
    void stored(String sourceId, Event event, EventStatus status);
  }

  /** Sets the listener told about each event's fate (the admin console's live debugger). */
  public void tap(Tap tap) {
    this.tap = java.util.Objects.requireNonNull(tap, "tap");
  }

  /**
   * @param afterAppend called after every successful append (wakes the delivery engine)
   */
  public Pipeline(RealtimeStore store, Governance governance, Clock clock, Runnable afterAppend) {
    this.store = store;
    this.governance = governance;
    this.clock = clock;
    this.afterAppend = afterAppend;
  }

  /** How many blocked events were dropped (not quarantined) since start. */
  public long blockedDropped() {
    return dropped.sum();
  }

  /**
   * Completes once every kept event is durable (or found to be a duplicate), with one status per event; completes
   * exceptionally with {@link StoreUnavailableException} when the store cannot write (then nothing was stored).
   */
  public CompletionStage<SubmitResult> submit(String sourceId, List<Event> events) {
    try {
      return CompletableFuture.completedFuture(submitNow(sourceId, events));
    } catch (StoreUnavailableException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new StoreUnavailableException("could not store events: " + e, e));
    }
  }

  /** Like {@link #submit} but synchronous. @throws StoreUnavailableException when the store cannot write */
  public SubmitResult submitNow(String sourceId, List<Event> events) {
    long now = clock.millis();
    EventStatus[] statuses = new EventStatus[events.size()];
    List<Event> toStore = new ArrayList<>(events.size());
    int[] index = new int[events.size()];
    boolean[] quarantined = new boolean[events.size()];
    for (int i = 0; i < events.size(); i++) {
      Event e = events.get(i);
      Event.Builder b = e.toBuilder().sourceId(sourceId);
      long upload = e.uploadTime() == null ? now : e.uploadTime();
      b.uploadTime(upload);
      if (e.time() == null) {
        b.time(upload);
      }
      Governance.Decision d = governance.check(sourceId, b.build());
      if (d.blocked()) {
        statuses[i] = EventStatus.BLOCKED;
        if (d.quarantine()) {
          quarantined[toStore.size()] = true;
          index[toStore.size()] = i;
          toStore.add(d.event().toBuilder().sourceId(Governance.quarantineId(sourceId)).build());
        } else {
          dropped.increment();
        }
      } else {
        index[toStore.size()] = i;
        toStore.add(d.event());
      }
    }
    if (!toStore.isEmpty()) {
      List<AppendResult> results;
      try {
        results = store.append(toStore);
      } catch (IOException e) {
        throw new StoreUnavailableException("the store cannot write: " + e.getMessage(), e);
      }
      for (int j = 0; j < results.size(); j++) {
        if (quarantined[j]) {
          continue;
        }
        AppendResult r = results.get(j);
        statuses[index[j]] = switch (r.status()) {
          case STORED -> EventStatus.STORED;
          case DUPLICATE -> EventStatus.DUPLICATE;
          // Stamped above, so the store has nothing to reject; report it as not delivered if it ever does.
          case REJECTED -> EventStatus.BLOCKED;
        };
        try {
          tap.stored(sourceId, toStore.get(j), statuses[index[j]]);
        } catch (RuntimeException ignored) {
          // A debugging aid must never fail ingestion.
        }
      }
      afterAppend.run();
    }
    return new SubmitResult(Arrays.asList(statuses));
  }
}
