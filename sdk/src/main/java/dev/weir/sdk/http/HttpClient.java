package dev.weir.sdk.http;

import java.io.IOException;
import java.time.Duration;

/**
 * HTTP for connectors, owned by the SDK so that plugins depend on no HTTP library: the host
 * implements it over its shared connection pool and dispatcher (OkHttp, hidden from plugins).
 * Thread-safe; callers never close it. A plugin that wants another client library may bundle its
 * own instead.
 */
public interface HttpClient {
  /**
   * Sends {@code request} and reads the whole response. Any status is a response (not an
   * exception); only I/O failures (connect, timeout, reset) throw.
   *
   * @throws IOException when no response arrived
   */
  HttpResponse execute(HttpRequest request) throws IOException;

  /** A client sharing this one's pool, with these timeouts (the write timeout follows the read). */
  HttpClient withTimeouts(Duration connectTimeout, Duration readTimeout);
}
