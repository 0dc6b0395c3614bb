package ${package};

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.Health;
import dev.weir.sdk.SourceConnector;
import dev.weir.sdk.SourceContext;
import dev.weir.sdk.http.HttpClient;
import dev.weir.sdk.http.HttpRequest;
import dev.weir.sdk.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.pf4j.Extension;

/**
 * The {@code ${connectorId}} source: polls {@code GET <url>?since=<cursor>} with a bearer token for
 * {@code {"records": [{"id": 1, "type": "Signed Up", "user_id": "u1"}, ...]}}, submits one event per record
 * (insert id from the record id, so a re-read deduplicates) and moves its cursor (in the state store) only
 * after the store confirmed the events. Start here and replace the request with your service's API.
 *
 * <p>Lifecycle: start once, then one poller thread; stop once (returns within the poll's timeout).
 */
@Extension
public class PluginSource extends SourceConnector {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CURSOR = "cursor";

  private volatile ScheduledExecutorService poller;
  private volatile Health health = Health.up();
  private SourceContext context;
  private HttpClient http;
  private String url;
  private String apiKey;

  @Override
  public ConnectorSpec spec() {
    return ConnectorSpec.builder("${connectorId}")
        .version("1.0.0")
        .displayName("${connectorId}")
        .description("Polls an HTTP endpoint for new records and submits them as events.")
        .settingsSchema("""
            {"type": "object", "additionalProperties": false, "required": ["url", "api_key"],
             "properties": {
               "url": {"type": "string", "pattern": "^https?://", "description": "The endpoint polled for records."},
               "api_key": {"type": "string", "secret": true, "description": "Sent as a bearer token."},
               "poll_interval_ms": {"type": "integer", "minimum": 10, "default": 5000,
                                    "description": "Pause between polls."}}}""")
        .build();
  }

  @Override
  public void start(SourceContext context) {
    this.context = context;
    url = context.settings().requireString("url");
    apiKey = context.settings().requireString("api_key");
    Duration interval = context.settings().millis("poll_interval_ms", Duration.ofSeconds(5));
    http = context.http().withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(10));
    poller = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "${connectorId}-poller"));
    poller.scheduleWithFixedDelay(this::poll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    context.logger().info("Polling {}", url); // never log apiKey
  }

  private void poll() {
    try {
      long since = context.state().get(CURSOR).map(Long::parseLong).orElse(0L);
      HttpRequest request = HttpRequest.builder(url + "?since=" + URLEncoder.encode(Long.toString(since), StandardCharsets.UTF_8))
          .header("Authorization", "Bearer " + apiKey)
          .build();
      HttpResponse response = http.execute(request);
      if (!response.isSuccessful()) {
        health = Health.degraded("HTTP " + response.code());
        return;
      }
      List<Event> events = new ArrayList<>();
      long max = since;
      for (JsonNode r : JSON.readTree(response.body()).path("records")) {
        long id = r.path("id").asLong();
        max = Math.max(max, id);
        events.add(Event.builder()
            .eventType(r.path("type").asText("record"))
            .userId(r.path("user_id").asText(null))
            .insertId("${connectorId}-" + id)
            .build());
      }
      if (!events.isEmpty()) {
        // wait until the store has them durably; only then may the cursor pass them
        context.submit(events).toCompletableFuture().get(30, TimeUnit.SECONDS);
        context.state().put(CURSOR, Long.toString(max));
      }
      health = Health.up();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // the store or the endpoint is unavailable: the same records are read again next poll
      health = Health.degraded("poll failed: " + e.getClass().getSimpleName());
      context.logger().warn("Poll failed, retried next time: {}", e.getClass().getSimpleName());
    }
  }

  @Override
  public Health health() {
    return health;
  }

  @Override
  public void stop() throws InterruptedException {
    ScheduledExecutorService p = poller;
    if (p != null) {
      p.shutdownNow();
      p.awaitTermination(15, TimeUnit.SECONDS);
    }
  }
}
