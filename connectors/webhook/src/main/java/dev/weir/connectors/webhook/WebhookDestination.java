package dev.weir.connectors.webhook;

import dev.weir.sdk.ConnectorContext;
import dev.weir.sdk.ConnectorMetrics;
import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import dev.weir.sdk.Settings;
import dev.weir.sdk.StreamingDestination;
import dev.weir.sdk.http.HttpClient;
import dev.weir.sdk.http.HttpRequest;
import dev.weir.sdk.http.HttpResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * The {@code webhook} destination: POSTs each batch as {@code {"events": [...]}} to a URL. 2xx
 * means delivered; 408, 429, 5xx and I/O errors mean retry (honouring {@code Retry-After}); any
 * other status rejects the batch. With {@code results_field}, a response carrying one result per
 * event there gives each event its own outcome.
 *
 * <p>Thread-safe after {@link #start}: {@link #deliver} may run concurrently. One instance per
 * destination.
 */
@Extension
public final class WebhookDestination extends StreamingDestination {
  private static final String JSON_TYPE = "application/json; charset=utf-8";

  private HttpClient client;
  private String url;
  private Map<String, String> headers;
  private ConnectorMetrics.Counter sent;
  private String resultsField;

  @Override
  public ConnectorSpec spec() {
    return ConnectorSpec.builder("webhook")
        .version("0.1.0")
        .displayName("Webhook")
        .description("POSTs JSON batches of events to an HTTP endpoint, with retries.")
        .settingsSchemaResource(WebhookDestination.class, "/weir-webhook-settings.schema.json")
        .build();
  }

  @Override
  public void start(ConnectorContext context) {
    Settings s = context.settings();
    url = s.requireString("url");
    Map<String, String> hb = new LinkedHashMap<>();
    for (Map.Entry<String, Object> h : s.section("headers").asMap().entrySet()) {
      hb.put(h.getKey(), String.valueOf(h.getValue()));
    }
    headers = Collections.unmodifiableMap(hb);
    client =
        context
            .http()
            .withTimeouts(
                Duration.ofMillis(s.longValue("connect_timeout_ms", 10_000)),
                Duration.ofMillis(s.longValue("read_timeout_ms", 30_000)));
    sent = context.metrics().counter("webhook.requests");
    resultsField = s.has("results_field") ? s.requireString("results_field") : null;
    // Only header names are logged: their values may be secrets.
    context.logger().info("Posting batches to {} (headers: {})", url, headers.keySet());
  }

  @Override
  public List<Outcome> deliver(List<Event> batch) {
    if (batch.isEmpty()) {
      return List.of();
    }
    // {"events":[...]} written from each event's own JSON text: no maps are built
    StringBuilder sb = new StringBuilder(batch.size() * 256 + 16).append("{\"events\":[");
    for (int i = 0; i < batch.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(batch.get(i).toJson());
    }
    byte[] body = sb.append("]}").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    HttpRequest.Builder request = HttpRequest.builder(url).method("POST").body(body, JSON_TYPE);
    headers.forEach(request::header);
    sent.increment();
    Outcome outcome;
    try {
      HttpResponse response = client.execute(request.build());
      outcome =
          StatusMapping.outcome(
              response.code(), response.header("Retry-After"), response.message());
      if (resultsField != null && outcome.status() != Outcome.Status.RETRY) {
        List<Outcome> each = PerEventResults.read(response.body(), resultsField, batch.size());
        if (each != null) {
          return each;
        }
      }
    } catch (IOException e) {
      outcome = Outcome.retry("I/O error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    return Collections.nCopies(batch.size(), outcome);
  }
}
