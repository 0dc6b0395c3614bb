package dev.weir.connectors.http;

import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Health;
import dev.weir.sdk.Settings;
import dev.weir.sdk.SourceConnector;
import dev.weir.sdk.SourceContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.pf4j.Extension;

/**
 * The {@code http} source: an HTTP server (Javalin on Jetty) that takes events in and submits them to the pipeline.
 * Each API it serves is an {@link IngestApi}; today the canonical {@code POST /v1/events}, later the Amplitude- and
 * Segment-compatible endpoints register the same way.
 *
 * <p>Lifecycle: {@link #start} binds the port and returns; {@link #stop} stops the server, letting requests in
 * flight finish. One instance per configured source.
 */
@Extension
public final class HttpSource extends SourceConnector {
  private static final ObjectMapper JSON = new ObjectMapper();
  private volatile Javalin app;
  private volatile Ingest ingest;
  private volatile SourceContext context;

  @Override
  public ConnectorSpec spec() {
    return ConnectorSpec.builder("http")
        .version("0.1.0")
        .displayName("HTTP ingest")
        .description("Accepts JSON arrays of events over HTTP, authenticated by write keys.")
        .settingsSchema(resource("/weir-http-source-settings.schema.json"))
        .build();
  }

  /** The APIs this source serves, in registration order. */
  static List<IngestApi> apis() {
    return List.of(new CanonicalEventsApi());
  }

  @Override
  public void start(SourceContext context) {
    Settings s = context.settings();
    long maxBody = s.longValue("max_body_bytes", 1 << 20);
    this.context = context;
    Ingest ingest = new Ingest(context, new WriteKeys(s.strings("write_keys")),
        s.intValue("max_events_per_request", 2000), Duration.ofMillis(s.longValue("submit_timeout_ms", 30_000)));
    Javalin server = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      cfg.http.maxRequestSize = maxBody;
    });
    for (IngestApi api : apis()) {
      api.register(server, ingest);
    }
    server.get("/health", ctx -> ctx.result("ok"));
    server.exception(Exception.class, (e, ctx) -> {
      if (e instanceof HttpResponseException h) {
        // Javalin's own answers, such as 413 for a body over max_body_bytes.
        ctx.status(h.getStatus()).contentType("application/json").result(JSON.createObjectNode()
            .put("code", h.getStatus()).put("error", h.getMessage()).toString());
        return;
      }
      context.logger().warn("Request {} {} failed: {}", ctx.method(), ctx.path(), e.toString());
      ctx.status(500).contentType("application/json").result("{\"code\":500,\"error\":\"internal error\"}");
    });
    String host = s.string("host", "0.0.0.0");
    server.start(host, s.intValue("port", 8080));
    app = server;
    this.ingest = ingest;
    context.logger().info("HTTP source listening on http://{}:{}", host, server.port());
  }

  /** The bound port, once started (useful when configured with port 0). */
  public int port() {
    Javalin a = app;
    return a == null ? -1 : a.port();
  }

  /** Refuses new requests (503), waits up to 10 s for those in flight to be stored and answered, then stops. */
  @Override
  public void stop() throws InterruptedException {
    Javalin a = app;
    if (a == null) {
      return;
    }
    if (!ingest.closeAndAwaitIdle(Duration.ofSeconds(10))) {
      context.logger().warn("Requests still in flight after 10 s; stopping anyway");
    }
    a.stop();
    app = null;
  }

  @Override
  public Health health() {
    return app == null ? Health.down("not started") : Health.up();
  }

  static String resource(String name) {
    try (InputStream in = HttpSource.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
