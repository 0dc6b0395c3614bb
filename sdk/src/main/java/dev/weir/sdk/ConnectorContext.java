package dev.weir.sdk;

import dev.weir.sdk.http.HttpClient;
import org.slf4j.Logger;

/**
 * What the host gives one connection (a configured source or destination): its settings and a few
 * services. Plugins get this narrow view and never host internals. All methods are thread-safe.
 */
public interface ConnectorContext {
  /** The id the workspace gives this connection, such as {@code web-app} or {@code crm-webhook}. */
  String connectionId();

  /** The validated settings, with secret references resolved. */
  Settings settings();

  /**
   * A logger named after the connection; the host redacts known secret values from every message.
   */
  Logger logger();

  ConnectorMetrics metrics();

  /**
   * An HTTP client that shares the host's connection pool and dispatcher, with the default timeouts
   * (connect 10 s, read and write 30 s); {@link HttpClient#withTimeouts} for others. Callers never
   * close it.
   *
   * @throws UnsupportedOperationException from a context that offers no HTTP (some test doubles)
   */
  default HttpClient http() {
    throw new UnsupportedOperationException("this context offers no HTTP client");
  }

  /** Durable key-value state private to this connection. */
  StateStore state();
}
