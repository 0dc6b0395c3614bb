package dev.weir.connectors.http;

import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Health;
import dev.weir.sdk.Settings;
import dev.weir.sdk.SourceConnector;
import dev.weir.sdk.SourceContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;

/**
 * The {@code http} source: takes events in over HTTP (Javalin on Jetty, plain and optionally HTTPS)
 * and submits them to the pipeline. Every listener serves Weir's canonical {@code POST /v1/events},
 * Amplitude's {@code /2/httpapi} and {@code /batch}, and Segment's {@code /v1/*} tracking API (each
 * an {@link IngestApi}). Sources naming the same {@code host:port} share one listener; the key a
 * request presents selects the source.
 *
 * <p>Lifecycle: {@link #start} binds (or joins) the listener and returns; {@link #stop} lets this
 * source's requests in flight finish, then leaves. One instance per configured source; start and
 * stop from one thread.
 */
@Extension
public final class HttpSource extends SourceConnector {
  private volatile Listener listener;
  private volatile Ingest ingest;
  private volatile SourceContext context;

  @Override
  public ConnectorSpec spec() {
    return ConnectorSpec.builder("http")
        .version("0.1.0")
        .displayName("HTTP ingest")
        .description(
            "Accepts events over HTTP: Weir's JSON, Amplitude HTTP V2/Batch and Segment APIs, by key.")
        .settingsSchemaResource(HttpSource.class, "/weir-http-source-settings.schema.json")
        .build();
  }

  /** The APIs every listener serves, in registration order. */
  static List<IngestApi> apis() {
    return List.of(new CanonicalEventsApi(), new AmplitudeApi(), new SegmentApi());
  }

  /**
   * Joins (or opens) the listener for this source's {@code host:port}, registering its keys there.
   *
   * @throws IllegalStateException when a key is already served by another source on that listener,
   *     or the listener is shared with different settings
   */
  @Override
  public void start(SourceContext context) {
    Settings s = context.settings();
    this.context = context;
    Ingest ingest =
        new Ingest(
            context,
            s.intValue("max_events_per_request", 2000),
            Duration.ofMillis(s.longValue("submit_timeout_ms", 30_000)),
            new Throttle(s.intValue("eps_threshold", 30)),
            new Throttle(s.intValue("batch_eps_threshold", 1000)));
    List<String> keys = new ArrayList<>(s.strings("write_keys"));
    keys.addAll(s.strings("api_keys"));
    listener = Listeners.join(ListenerConfig.from(s), ingest, keys);
    this.ingest = ingest;
    context
        .logger()
        .info(
            "HTTP source '{}' serving on http://{}:{}{}",
            context.connectionId(),
            listener.config().host(),
            listener.port(),
            listener.tlsPort() < 0
                ? ""
                : " and https://" + listener.config().host() + ":" + listener.tlsPort());
  }

  /** The listener this source joined, for tests; null before start. */
  Listener listener() {
    return listener;
  }

  /** The bound plain-HTTP port, once started (useful when configured with port 0); -1 before. */
  public int port() {
    Listener l = listener;
    return l == null ? -1 : l.port();
  }

  /** The bound HTTPS port, once started with a keystore; -1 otherwise. */
  public int tlsPort() {
    Listener l = listener;
    return l == null ? -1 : l.tlsPort();
  }

  /**
   * Refuses new requests for this source (503), waits up to 10 s for those in flight to be stored
   * and answered, then leaves its listener (stopping it when no other source uses it).
   */
  @Override
  public void stop() throws InterruptedException {
    Listener l = listener;
    if (l == null) {
      return;
    }
    if (!ingest.closeAndAwaitIdle(Duration.ofSeconds(10))) {
      context.logger().warn("Requests still in flight after 10 s; stopping anyway");
    }
    Listeners.leave(l, ingest);
    listener = null;
  }

  @Override
  public Health health() {
    return listener == null ? Health.down("not started") : Health.up();
  }
}
