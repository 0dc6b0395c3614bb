package ${package};

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.ConnectorContext;
import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import dev.weir.sdk.StreamingDestination;
import dev.weir.sdk.http.HttpClient;
import dev.weir.sdk.http.HttpRequest;
import dev.weir.sdk.http.HttpResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * The {@code ${connectorId}} destination: POSTs each batch as {@code {"events": [...]}} to a URL with a bearer
 * token. Start here and replace the request with your service's API.
 *
 * <p>Lifecycle: one instance per configured destination; start once, deliver many times (possibly from several
 * threads at once: this class keeps no mutable state after start), stop once.
 */
@Extension
public class PluginDestination extends StreamingDestination {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JSON_TYPE = "application/json";

  private volatile HttpClient http;
  private volatile String url;
  private volatile String apiKey;

  @Override
  public ConnectorSpec spec() {
    return ConnectorSpec.builder("${connectorId}")
        .version("1.0.0")
        .displayName("${connectorId}")
        .description("Posts batches of events as JSON to an HTTP endpoint.")
        .settingsSchema("""
            {"type": "object", "additionalProperties": false, "required": ["url", "api_key"],
             "properties": {
               "url": {"type": "string", "pattern": "^https?://", "description": "Where batches are POSTed."},
               "api_key": {"type": "string", "secret": true, "description": "Sent as a bearer token."},
               "timeout_ms": {"type": "integer", "minimum": 1, "default": 30000,
                              "description": "Read timeout of one request."}}}""")
        .build();
  }

  @Override
  public void start(ConnectorContext context) {
    url = context.settings().requireString("url");
    apiKey = context.settings().requireString("api_key");
    Duration timeout = context.settings().millis("timeout_ms", Duration.ofSeconds(30));
    http = context.http().withTimeouts(Duration.ofSeconds(10), timeout);
    context.logger().info("Posting events to {}", url); // never log apiKey
  }

  @Override
  public List<Outcome> deliver(List<Event> batch) throws IOException {
    List<Object> events = new ArrayList<>(batch.size());
    for (Event e : batch) {
      events.add(e.toMap());
    }
    HttpRequest request = HttpRequest.builder(url).method("POST")
        .header("Authorization", "Bearer " + apiKey)
        .body(JSON.writeValueAsBytes(Map.of("events", events)), JSON_TYPE)
        .build();
    try {
      HttpResponse response = http.execute(request);
      int code = response.code();
      Outcome outcome;
      if (response.isSuccessful()) {
        outcome = Outcome.delivered();
      } else if (code == 408 || code == 429 || code >= 500) {
        outcome = Outcome.retry("HTTP " + code).withStatusCode(code);
      } else {
        outcome = Outcome.rejected("HTTP " + code).withStatusCode(code);
      }
      return Collections.nCopies(batch.size(), outcome);
    } catch (IOException e) {
      // connection refused, timeout...: passing, so retry; the message names no secret
      return Collections.nCopies(batch.size(), Outcome.retry(e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
  }
}
