package dev.weir.host.pipeline;

import dev.weir.cluster.EventsProducer;
import dev.weir.realtime.RealtimeStore;
import dev.weir.sdk.Event;
import dev.weir.sdk.StoreUnavailableException;
import dev.weir.sdk.SubmitResult;
import dev.weir.sdk.SubmitResult.EventStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;

/**
 * The way in: each submission goes through a chain of {@link IngestStep}s — {@link StampStep}
 * ({@code source_id} and {@code upload_time} always the server's, default {@code time}) → {@link
 * GovernStep} (tracking plan) → {@link StoreStep} (kept and quarantined events appended,
 * deduplicated and durable before {@link #submit} completes) → {@link TapStep} (live debugger) —
 * while the pipeline itself owns the per-source gates and meters. Thread-safe.
 */
public final class Pipeline {
  private final Governance governance;
  private final Clock clock;
  private final Runnable afterAppend;
  private final LongAdder dropped = new LongAdder();
  private final SourceGates gates = new SourceGates();
  private volatile Tap tap = (source, event, status) -> {};
  private final List<IngestStep> steps;

  /** False between {@link #holdUntilReady()} and {@link #markReady()}: submits are refused. */
  private volatile boolean ready = true;

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
    this.governance = governance;
    this.clock = clock;
    this.afterAppend = afterAppend;
    this.steps =
        List.of(
            new StampStep(),
            new GovernStep(governance, dropped),
            new StoreStep(store, gates::appendTimer),
            new TapStep(() -> this.tap));
  }

  /**
   * The ingest role's pipeline (cluster mode): governed events go to the cluster's events topic
   * through {@code producer} ({@link ProduceStep}) instead of a local store; a submit completes
   * once Kafka acknowledged them, each kept event {@code STORED}.
   */
  public Pipeline(EventsProducer producer, Governance governance, Clock clock) {
    this.governance = governance;
    this.clock = clock;
    this.afterAppend = () -> {};
    this.steps =
        List.of(
            new StampStep(),
            new GovernStep(governance, dropped),
            new ProduceStep(producer, gates::appendTimer));
  }

  /**
   * Pauses a source: until {@link #resume}, its submits complete exceptionally with {@link
   * StoreUnavailableException} ("source paused") and store nothing, so HTTP sources answer 503
   * (clients retry) and polling sources back off without committing. Idempotent.
   */
  public void pause(String sourceId) {
    gates.of(sourceId).paused = true;
  }

  /**
   * Refuses every submit with {@link StoreUnavailableException} ("not ready", so HTTP sources
   * answer 503 with Retry-After) until {@link #markReady()}: the host calls it before starting
   * sources and marks ready once every part has started.
   */
  public void holdUntilReady() {
    ready = false;
  }

  /** Lets submits through (the host is ready). Idempotent. */
  public void markReady() {
    ready = true;
  }

  /** Whether submits are let through. */
  public boolean ready() {
    return ready;
  }

  private static StoreUnavailableException notReady() {
    return new StoreUnavailableException("not ready yet (the host is starting), retry later");
  }

  /** Lets a paused source submit again. Idempotent. */
  public void resume(String sourceId) {
    gates.of(sourceId).paused = false;
  }

  /** Whether {@code sourceId} is paused. */
  public boolean paused(String sourceId) {
    return gates.of(sourceId).paused;
  }

  /**
   * A JSON-ready status of one source: {@code state} (paused/running), counts of requests, stored,
   * duplicate, blocked and refused events since start, and the last time an event was accepted.
   */
  public Map<String, Object> status(String sourceId) {
    return gates.of(sourceId).status();
  }

  /**
   * Registers the ingest meters on {@code registry} (first call wins): {@code
   * weir.ingest.events{source,status}}, {@code weir.ingest.rejects{source,reason}}, {@code
   * weir.ingest.duplicates{source}}, {@code weir.ingest.latency{source}} and {@code
   * weir.store.append}. Counts made before binding are kept.
   */
  public void bindMeters(MeterRegistry registry) {
    gates.bind(java.util.Objects.requireNonNull(registry, "registry"));
  }

  /** How many blocked events were dropped (not quarantined) since start. */
  public long blockedDropped() {
    return dropped.sum();
  }

  /**
   * Completes once every kept event is durable (or found to be a duplicate), with one status per
   * event; completes exceptionally with {@link StoreUnavailableException} when the store cannot
   * write (then nothing was stored).
   */
  public CompletionStage<SubmitResult> submit(String sourceId, List<Event> events) {
    SourceGates.State gate = gates.of(sourceId);
    if (!ready) {
      gate.requests.increment();
      gate.reject("not_ready", events.size());
      return CompletableFuture.failedFuture(notReady());
    }
    if (gate.paused) {
      gate.requests.increment();
      gate.refusedPaused.add(events.size());
      gate.reject("source_paused", events.size());
      return CompletableFuture.failedFuture(new StoreUnavailableException("source paused"));
    }
    try {
      return CompletableFuture.completedFuture(submitNow(sourceId, events));
    } catch (StoreUnavailableException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          new StoreUnavailableException("could not store events: " + e, e));
    }
  }

  /**
   * Like {@link #submit} but synchronous. @throws StoreUnavailableException when the store cannot
   * write
   */
  public SubmitResult submitNow(String sourceId, List<Event> events) {
    SourceGates.State gate = gates.of(sourceId);
    if (!ready) {
      gate.requests.increment();
      gate.reject("not_ready", events.size());
      throw notReady();
    }
    long started = System.nanoTime();
    gate.requests.increment();
    try {
      SubmitResult r = submitGated(sourceId, events, gate);
      gate.recordLatency(System.nanoTime() - started);
      return r;
    } catch (RuntimeException e) {
      gate.refusedStore.add(events.size());
      gate.reject("store_unavailable", events.size());
      throw e;
    }
  }

  private SubmitResult submitGated(String sourceId, List<Event> events, SourceGates.State gate) {
    Submission s = new Submission(sourceId, events, clock.millis());
    IngestStep.run(steps, s);
    if (!s.toStore.isEmpty()) {
      afterAppend.run();
    }
    count(gate, s.statuses, s.now);
    return new SubmitResult(Arrays.asList(s.statuses));
  }

  private static void count(SourceGates.State gate, EventStatus[] statuses, long now) {
    long blocked = 0;
    for (EventStatus s : statuses) {
      switch (s) {
        case STORED -> gate.stored.increment();
        case DUPLICATE -> gate.duplicates.increment();
        default -> blocked++;
      }
    }
    if (blocked > 0) {
      gate.blocked.add(blocked);
      gate.reject("blocked_by_plan", blocked);
    }
    if (statuses.length > 0) {
      gate.lastEventMillis = now;
    }
  }
}
