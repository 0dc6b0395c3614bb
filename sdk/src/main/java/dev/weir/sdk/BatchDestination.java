package dev.weir.sdk;

import org.pf4j.ExtensionPoint;

/**
 * Exports sealed chunks of events as units (warehouse loads, files). The host calls {@link #export}
 * for each chunk in order and records the chunk as exported only after it returns.
 *
 * <p>Lifecycle: one instance per configured destination; {@link #start} once, {@code export} calls
 * one at a time (never concurrently), {@link #stop} once. {@code export} must be idempotent by
 * {@link ExportBatch#id()}: a crash after a commit and before the host's checkpoint re-exports the
 * same batch, which must not duplicate rows.
 */
public abstract class BatchDestination implements ExtensionPoint {
  /**
   * What this connector is and which settings it takes; must not depend on start having been
   * called.
   */
  public abstract ConnectorSpec spec();

  /** Prepares to export; no-op by default. */
  public void start(ConnectorContext context) throws Exception {}

  /**
   * Durably writes the batch and returns once it is committed. Throwing means nothing was committed
   * and the host retries with backoff.
   */
  public abstract ExportResult export(ExportBatch batch) throws Exception;

  /** Releases resources; no-op by default. */
  public void stop() throws Exception {}

  /** Up by default. */
  public Health health() {
    return Health.up();
  }
}
