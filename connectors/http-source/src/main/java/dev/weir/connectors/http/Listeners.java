package dev.weir.connectors.http;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The listeners open in this process, keyed by {@code host:port}: http sources naming the same
 * address share one server, and a request's key selects the source. Thread-safe (all methods
 * synchronise on the class).
 */
final class Listeners {
  private static final Map<String, Listener> OPEN = new HashMap<>();

  private Listeners() {}

  /**
   * Adds a source (its ingest and keys) to the listener for its address, starting the listener if
   * it is the first.
   *
   * @throws IllegalStateException when a key is already served on that listener, or when the
   *     listener was opened with different settings
   */
  static synchronized Listener join(ListenerConfig config, Ingest ingest, List<String> keys) {
    String key = config.sharingKey();
    Listener listener = key == null ? null : OPEN.get(key);
    if (listener != null) {
      if (!listener.config().equals(config)) {
        throw new IllegalStateException(
            "source '"
                + ingest.sourceId()
                + "' shares "
                + key
                + " with source(s) "
                + listener.sourceIds()
                + " but with different listener settings (tls_port, tls, idle_timeout_ms and the"
                + " body limits must be the same for sources on one address)");
      }
      listener.add(ingest, keys);
      return listener;
    }
    Listener fresh = new Listener(config);
    fresh.add(ingest, keys);
    fresh.start();
    if (key != null) {
      OPEN.put(key, fresh);
    }
    return fresh;
  }

  /** Removes a source; the last one to leave stops the server. */
  static synchronized void leave(Listener listener, Ingest ingest) {
    if (listener.remove(ingest)) {
      String key = listener.config().sharingKey();
      if (key != null && OPEN.get(key) == listener) {
        OPEN.remove(key);
      }
      listener.stop();
    }
  }
}
