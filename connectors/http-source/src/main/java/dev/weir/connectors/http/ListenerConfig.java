package dev.weir.connectors.http;

import dev.weir.sdk.Settings;

/**
 * What one listening server is made of: its address, TLS and the limits it checks before a
 * request's key is known. Sources that name the same host and port share one listener and must
 * agree on all of it. Immutable.
 */
record ListenerConfig(
    String host,
    int port,
    int tlsPort,
    String keystore,
    String keystorePassword,
    String keystoreType,
    long idleTimeoutMs,
    long headerTimeoutMs,
    long bodyTimeoutMs,
    long slowRequestMs,
    int maxSlowConnectionsPerClient,
    long maxBodyBytes,
    long amplitudeMaxBodyBytes,
    long amplitudeBatchMaxBodyBytes,
    long segmentMaxCallBytes,
    long segmentMaxBatchBytes) {

  static ListenerConfig from(Settings s) {
    Settings tls = s.section("tls");
    String keystore = tls.string("keystore").orElse(null);
    int tlsPort = s.intValue("tls_port", keystore == null ? -1 : 8443);
    if (keystore != null && tlsPort < 0) {
      throw new IllegalArgumentException("tls.keystore is set but tls_port is negative");
    }
    if (keystore == null && s.has("tls_port")) {
      throw new IllegalArgumentException("tls_port is set but tls.keystore is not");
    }
    return new ListenerConfig(
        s.string("host", "0.0.0.0"),
        s.intValue("port", 8080),
        keystore == null ? -1 : tlsPort,
        keystore,
        tls.string("keystore_password", ""),
        tls.string("keystore_type", "PKCS12"),
        s.longValue("idle_timeout_ms", 30_000),
        s.longValue("header_timeout_ms", 30_000),
        s.longValue("body_timeout_ms", 60_000),
        s.longValue("slow_request_ms", 5_000),
        s.intValue("max_slow_connections_per_client", 16),
        s.longValue("max_body_bytes", 1 << 20),
        s.longValue("amplitude_max_body_bytes", 1 << 20),
        s.longValue("amplitude_batch_max_body_bytes", 20L << 20),
        s.longValue("segment_max_call_bytes", 32 * 1024),
        s.longValue("segment_max_batch_bytes", 500 * 1024));
  }

  boolean tls() {
    return keystore != null;
  }

  /** The registry key; null when the port is ephemeral (0), which is never shared. */
  String sharingKey() {
    return port == 0 ? null : host + ":" + port;
  }

  /** Deliberately leaves out the keystore password. */
  @Override
  public String toString() {
    return "listener " + host + ":" + port + (tls() ? " (https on " + tlsPort + ")" : "");
  }
}
