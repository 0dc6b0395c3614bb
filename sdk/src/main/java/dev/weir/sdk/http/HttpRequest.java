package dev.weir.sdk.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP request: method, URL, headers in order, and an optional body with its content type.
 * Immutable; build with {@link #builder}, {@link #get} or {@link #post}.
 */
public final class HttpRequest {
  private final String method;
  private final String url;
  private final List<Map.Entry<String, String>> headers;
  private final byte[] body;
  private final String contentType;

  private HttpRequest(Builder b) {
    this.method = b.method;
    this.url = b.url;
    this.headers = List.copyOf(b.headers);
    this.body = b.body;
    this.contentType = b.contentType;
  }

  public static Builder builder(String url) {
    return new Builder(url);
  }

  /** A GET of {@code url}. */
  public static HttpRequest get(String url) {
    return builder(url).build();
  }

  /** A POST of {@code body} to {@code url}. */
  public static HttpRequest post(String url, byte[] body, String contentType) {
    return builder(url).method("POST").body(body, contentType).build();
  }

  public String method() {
    return method;
  }

  public String url() {
    return url;
  }

  /** Every header in the order added (a name may repeat). */
  public List<Map.Entry<String, String>> headers() {
    return headers;
  }

  /** The body, or null for none; do not modify. */
  public byte[] body() {
    return body;
  }

  /** The body's content type, such as {@code application/json; charset=utf-8}; null without one. */
  public String contentType() {
    return contentType;
  }

  @Override
  public String toString() {
    return method + " " + url;
  }

  /** Builds an {@link HttpRequest}; not thread-safe. */
  public static final class Builder {
    private String method = "GET";
    private final String url;
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();
    private byte[] body;
    private String contentType;

    private Builder(String url) {
      this.url = Objects.requireNonNull(url, "url");
    }

    /** {@code GET} (the default), {@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE}... */
    public Builder method(String method) {
      this.method = Objects.requireNonNull(method, "method");
      return this;
    }

    /** Adds a header (names may repeat). */
    public Builder header(String name, String value) {
      headers.add(Map.entry(Objects.requireNonNull(name), Objects.requireNonNull(value)));
      return this;
    }

    public Builder body(byte[] body, String contentType) {
      this.body = Objects.requireNonNull(body, "body");
      this.contentType = contentType;
      return this;
    }

    /** A UTF-8 text body. */
    public Builder body(String body, String contentType) {
      return body(body.getBytes(StandardCharsets.UTF_8), contentType);
    }

    public HttpRequest build() {
      return new HttpRequest(this);
    }
  }
}
