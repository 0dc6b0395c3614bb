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

  /**
   * Whether this destination can delete a user's rows from what it exported ({@link #deleteUser}).
   * False by default. Must not depend on start having been called.
   */
  public boolean deletesUsers() {
    return false;
  }

  /**
   * Deletes the user's rows from everything this destination exported: the rows of the user's
   * source (and of its quarantine copy, source id {@code <source>:quarantine}) with the user's
   * {@code user_id}, and those without a user id whose {@code device_id} is one of the request's
   * device ids. Returns the rows deleted once the deletion is committed; throwing means nothing was
   * committed (the deletion is reported failed).
   *
   * <p>Called only when {@link #deletesUsers()} is true, after {@link #start}, from an admin
   * request thread: it may run while an {@link #export} runs, so serialize the two yourself. The
   * default throws {@link UnsupportedOperationException}.
   */
  public long deleteUser(UserDeletion request) throws Exception {
    throw new UnsupportedOperationException("this destination does not delete users");
  }

  /** Up by default. */
  public Health health() {
    return Health.up();
  }
}
