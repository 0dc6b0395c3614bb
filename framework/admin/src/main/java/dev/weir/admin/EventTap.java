package dev.weir.admin;

import dev.weir.sdk.Event;
import dev.weir.sdk.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The live event tap: the host publishes events as they pass a source and as destinations resolve
 * them; the admin console's debugger subscribes. Thread-safe; publishing costs one volatile read
 * when nobody is watching, so the host may call it on every event. Listeners run on the publishing
 * (ingest or delivery) thread and must not block: the admin server's listeners only enqueue into a
 * bounded per-client buffer and drop when it is full.
 */
public final class EventTap {
  private final CopyOnWriteArrayList<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private final AtomicLong seq = new AtomicLong();

  /**
   * True when someone watches {@code sourceId} (or all sources): the host may skip building records
   * otherwise.
   */
  public boolean watching(String sourceId) {
    for (Subscription s : subscriptions) {
      if (s.source == null || s.source.equals(sourceId)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Publishes an event accepted by {@code sourceId}, after governance (its {@link
   * Event#violations()} are shown) and the store's dedup decision.
   */
  public void ingested(String sourceId, String requestId, Event event, boolean duplicate) {
    if (!watching(sourceId)) {
      return;
    }
    List<Map<String, Object>> violations = new ArrayList<>();
    for (Violation v : event.violations()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", v.type());
      m.put("field", v.field());
      m.put("message", v.message());
      violations.add(m);
    }
    Map<String, Object> json = event.toMap();
    json.remove("violations");
    publish(
        new TapRecord(
            seq.incrementAndGet(),
            "ingested",
            System.currentTimeMillis(),
            sourceId,
            requestId,
            event.insertId(),
            event.eventType(),
            json,
            violations,
            duplicate,
            null,
            null));
  }

  /**
   * Publishes the outcome of one event at a destination.
   *
   * @param stage {@code delivered}, {@code retrying} or {@code dead_lettered}
   * @param detail reason or response excerpt with secrets already removed; may be null
   */
  public void delivery(
      String sourceId,
      String requestId,
      Event event,
      String destinationId,
      String stage,
      String detail) {
    if (!watching(sourceId)) {
      return;
    }
    publish(
        new TapRecord(
            seq.incrementAndGet(),
            stage,
            System.currentTimeMillis(),
            sourceId,
            requestId,
            event.insertId(),
            event.eventType(),
            null,
            List.of(),
            false,
            destinationId,
            detail));
  }

  /**
   * Subscribes to records of {@code sourceId} ({@code null} for every source) until the returned
   * handle is closed.
   */
  public AutoCloseable subscribe(String sourceId, Consumer<TapRecord> listener) {
    Subscription s = new Subscription(sourceId, listener);
    subscriptions.add(s);
    return () -> subscriptions.remove(s);
  }

  /** How many subscriptions are open. */
  public int subscribers() {
    return subscriptions.size();
  }

  private void publish(TapRecord r) {
    for (Subscription s : subscriptions) {
      if (s.source == null || s.source.equals(r.source())) {
        try {
          s.listener.accept(r);
        } catch (RuntimeException e) {
          // a broken listener must never disturb ingest or delivery
        }
      }
    }
  }

  private record Subscription(String source, Consumer<TapRecord> listener) {}
}
