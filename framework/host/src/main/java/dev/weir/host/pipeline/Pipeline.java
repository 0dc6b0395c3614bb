package dev.weir.host.pipeline;

import dev.weir.sdk.Event;
import dev.weir.sdk.StoreUnavailableException;
import dev.weir.sdk.SubmitResult;
import dev.weir.sdk.SubmitResult.EventStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The way in: stamps each submitted event ({@code source_id}, {@code upload_time}, default {@code time}), runs
 * governance, and appends the kept events to the log. Thread-safe.
 */
public final class Pipeline {
  private final EventLog log;
  private final Governance governance;
  private final Clock clock;
  private volatile boolean releaseOnAppend;

  public Pipeline(EventLog log, Governance governance, Clock clock) {
    this.log = log;
    this.governance = governance;
    this.clock = clock;
  }

  /** With no destination reading the log, events are dropped from memory as soon as they are appended. */
  public void releaseOnAppend(boolean value) {
    this.releaseOnAppend = value;
  }

  public EventLog log() {
    return log;
  }

  /** Completes once every kept event is in the log; exceptionally with {@link StoreUnavailableException}. */
  public CompletionStage<SubmitResult> submit(String sourceId, List<Event> events) {
    long now = clock.millis();
    List<EventStatus> statuses = new ArrayList<>(events.size());
    List<Event> kept = new ArrayList<>(events.size());
    try {
      for (Event e : events) {
        Event.Builder b = e.toBuilder().sourceId(sourceId);
        long upload = e.uploadTime() == null ? now : e.uploadTime();
        b.uploadTime(upload);
        if (e.time() == null) {
          b.time(upload);
        }
        Governance.Decision d = governance.check(sourceId, b.build());
        if (d.blocked()) {
          statuses.add(EventStatus.BLOCKED);
        } else {
          statuses.add(EventStatus.STORED);
          kept.add(d.event());
        }
      }
      if (!kept.isEmpty()) {
        log.append(kept);
        if (releaseOnAppend) {
          for (int p = 0; p < log.partitions(); p++) {
            log.release(p, log.endSeq(p));
          }
        }
      }
      return CompletableFuture.completedFuture(new SubmitResult(statuses));
    } catch (StoreUnavailableException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new StoreUnavailableException("could not store events: " + e, e));
    }
  }
}
