package dev.weir.sdk;

import org.pf4j.ExtensionPoint;

/**
 * Brings events into Weir and pushes them into the {@link SourceContext} it is started with.
 *
 * <p>Lifecycle: the host creates one instance per configured source, calls {@link #start} once,
 * then {@link #stop} once at shutdown. {@code start} must return promptly: run polling loops or
 * servers on threads of your own. {@link #health} may be called from any thread at any time.
 */
public abstract class SourceConnector implements ExtensionPoint {
  /**
   * What this connector is and which settings it takes; must not depend on start having been
   * called.
   */
  public abstract ConnectorSpec spec();

  /** Starts taking events in and submitting them to {@code context}. */
  public abstract void start(SourceContext context) throws Exception;

  /** Stops taking events in and waits for submissions in flight to complete. No-op by default. */
  public void stop() throws Exception {}

  /** Up by default. */
  public Health health() {
    return Health.up();
  }
}
