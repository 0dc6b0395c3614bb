package dev.weir.runtime;

import dev.weir.sdk.ConnectorContext;
import dev.weir.sdk.http.HttpClient;
import dev.weir.sdk.http.HttpRequest;
import dev.weir.sdk.http.HttpResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The SDK's {@link HttpClient} over an {@link OkHttpClient}: every client made from one pool shares
 * its connections and dispatcher. Framework code that needs OkHttp itself (partner definitions:
 * interceptors, OAuth) gets the same pool with {@link #okHttp(ConnectorContext)}. Thread-safe.
 */
public final class OkHttpConnectorHttp implements HttpClient {
  private static final byte[] EMPTY = new byte[0];

  private final OkHttpClient client;

  public OkHttpConnectorHttp(OkHttpClient client) {
    this.client = client;
  }

  /** The OkHttp client underneath. */
  public OkHttpClient client() {
    return client;
  }

  /**
   * The OkHttp client behind {@code context.http()}: the host's pool when the context is one of the
   * runtime's, else a process-wide default client.
   */
  public static OkHttpClient okHttp(ConnectorContext context) {
    try {
      if (context.http() instanceof OkHttpConnectorHttp h) {
        return h.client;
      }
    } catch (UnsupportedOperationException noHttp) {
      // fall through to the shared default
    }
    return RuntimeContext.defaultOkHttp();
  }

  @Override
  public HttpResponse execute(HttpRequest request) throws IOException {
    Request.Builder b = new Request.Builder().url(request.url());
    for (Map.Entry<String, String> h : request.headers()) {
      b.addHeader(h.getKey(), h.getValue());
    }
    RequestBody body = null;
    if (request.body() != null) {
      MediaType type =
          request.contentType() == null ? null : MediaType.parse(request.contentType());
      body = RequestBody.create(request.body(), type);
    } else if (requiresBody(request.method())) {
      body = RequestBody.create(EMPTY, null);
    }
    b.method(request.method(), body);
    try (Response r = client.newCall(b.build()).execute()) {
      ResponseBody rb = r.body();
      byte[] bytes = rb == null ? EMPTY : rb.bytes();
      return new HttpResponse(r.code(), r.message(), r.headers().toMultimap(), bytes);
    }
  }

  @Override
  public HttpClient withTimeouts(Duration connectTimeout, Duration readTimeout) {
    return new OkHttpConnectorHttp(
        client
            .newBuilder()
            .connectTimeout(connectTimeout)
            .readTimeout(readTimeout)
            .writeTimeout(readTimeout)
            .build());
  }

  private static boolean requiresBody(String method) {
    return method.equals("POST")
        || method.equals("PUT")
        || method.equals("PATCH")
        || method.equals("PROPPATCH")
        || method.equals("REPORT");
  }
}
