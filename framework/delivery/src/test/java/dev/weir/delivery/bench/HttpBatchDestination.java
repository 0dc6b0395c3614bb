package dev.weir.delivery.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import dev.weir.sdk.StreamingDestination;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A minimal webhook-like destination for the delivery benchmark and tests: POSTs a batch as {@code
 * {"events": [...]}} and maps the answer the way a webhook does. 2xx is delivered, unless the body
 * holds {@code "results": [{"status": 400, "error": ".."}, ..]} with one entry per event
 * (multi-status); 408, 429 and 5xx are retried (honouring {@code Retry-After} seconds); other 4xx
 * reject the batch with a body excerpt. Each event carries its {@code insert_id}, which receivers
 * use as an idempotency key. Thread-safe.
 */
public final class HttpBatchDestination extends StreamingDestination {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final OkHttpClient client;
  private final String url;
  private final String authorization;

  public HttpBatchDestination(OkHttpClient client, String url, String authorization) {
    this.client = client;
    this.url = url;
    this.authorization = authorization;
  }

  @Override
  public ConnectorSpec spec() {
    return ConnectorSpec.builder("http-batch").displayName("HTTP batch (bench/test)").build();
  }

  @Override
  public List<Outcome> deliver(List<Event> batch) throws IOException {
    List<Map<String, Object>> events = new ArrayList<>(batch.size());
    for (Event e : batch) {
      events.add(e.toMap());
    }
    Request.Builder rb =
        new Request.Builder()
            .url(url)
            .post(RequestBody.create(MAPPER.writeValueAsBytes(Map.of("events", events)), JSON));
    if (authorization != null) {
      rb.header("Authorization", authorization);
    }
    try (Response r = client.newCall(rb.build()).execute()) {
      String body = r.body().string();
      int code = r.code();
      if (code >= 200 && code < 300) {
        return perEvent(body, batch.size(), code);
      }
      String excerpt =
          "HTTP " + code + ": " + (body.length() > 500 ? body.substring(0, 500) : body);
      Outcome o;
      if (code == 408 || code == 429 || code >= 500) {
        Duration after = retryAfter(r.header("Retry-After"));
        o = after == null ? Outcome.retry(excerpt) : Outcome.retryAfter(after, excerpt);
      } else {
        o = Outcome.rejected(excerpt);
      }
      return same(batch.size(), o.withStatusCode(code));
    }
  }

  private static List<Outcome> perEvent(String body, int n, int code) {
    if (body.isBlank() || !body.contains("\"results\"")) {
      return same(n, Outcome.delivered());
    }
    try {
      Map<String, Object> parsed =
          MAPPER.readValue(body, new TypeReference<Map<String, Object>>() {});
      Object results = parsed.get("results");
      if (!(results instanceof List<?> list) || list.size() != n) {
        return same(n, Outcome.delivered());
      }
      List<Outcome> out = new ArrayList<>(n);
      for (Object o : list) {
        Map<?, ?> m = o instanceof Map<?, ?> mm ? mm : Map.of();
        int status = m.get("status") instanceof Number s ? s.intValue() : 200;
        String error = String.valueOf(m.get("error") == null ? "" : m.get("error"));
        if (status >= 200 && status < 300) {
          out.add(Outcome.delivered());
        } else if (status == 408 || status == 429 || status >= 500) {
          out.add(Outcome.retry(error).withStatusCode(status));
        } else {
          out.add(Outcome.rejected(error).withStatusCode(status));
        }
      }
      return out;
    } catch (IOException e) {
      return same(n, Outcome.delivered().withStatusCode(code));
    }
  }

  private static Duration retryAfter(String header) {
    if (header == null) {
      return null;
    }
    try {
      return Duration.ofSeconds(Long.parseLong(header.trim()));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static List<Outcome> same(int n, Outcome o) {
    List<Outcome> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(o);
    }
    return out;
  }
}
