package dev.weir.sdk.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A whole HTTP response: status, reason phrase, headers and body. Immutable; header names are
 * matched without regard to case.
 */
public final class HttpResponse {
  private final int code;
  private final String message;
  private final Map<String, List<String>> headers;
  private final byte[] body;

  /**
   * @param headers every header, each name with its values in order
   * @param body the body read whole (empty when there is none)
   */
  public HttpResponse(int code, String message, Map<String, List<String>> headers, byte[] body) {
    this.code = code;
    this.message = message == null ? "" : message;
    Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
    this.headers = java.util.Collections.unmodifiableMap(h);
    this.body = body == null ? new byte[0] : body;
  }

  public int code() {
    return code;
  }

  /** Whether the status is 2xx. */
  public boolean isSuccessful() {
    return code >= 200 && code < 300;
  }

  /** The reason phrase ({@code OK}, {@code Too Many Requests}); may be empty (HTTP/2). */
  public String message() {
    return message;
  }

  /** The first value of header {@code name}, or null. */
  public String header(String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** Every header, names case-insensitive. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The body; do not modify. */
  public byte[] body() {
    return body;
  }

  /** The body as UTF-8 text. */
  public String bodyString() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return code + (message.isEmpty() ? "" : " " + message.toLowerCase(Locale.ROOT));
  }
}
