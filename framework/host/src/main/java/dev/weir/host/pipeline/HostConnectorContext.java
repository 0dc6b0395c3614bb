package dev.weir.host.pipeline;

import dev.weir.runtime.RuntimeContext;
import dev.weir.sdk.ConnectorContext;
import dev.weir.sdk.ConnectorMetrics;
import dev.weir.sdk.Event;
import dev.weir.sdk.Settings;
import dev.weir.sdk.SourceContext;
import dev.weir.sdk.StateStore;
import dev.weir.sdk.SubmitResult;
import dev.weir.sdk.http.HttpClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;

/**
 * The host's {@link ConnectorContext} for one connection (also a {@link SourceContext} when given a
 * pipeline): a {@link RuntimeContext} over the host's shared services, plus {@code submit}.
 * Thread-safe; the state store is opened on first use.
 */
public final class HostConnectorContext implements SourceContext {
  private final String connectionId;
  private final RuntimeContext base;
  private final Pipeline pipeline;

  public HostConnectorContext(
      String connectionId,
      String type,
      Map<String, Object> settings,
      HostServices services,
      Pipeline pipeline) {
    this.connectionId = connectionId;
    this.pipeline = pipeline;
    this.base =
        RuntimeContext.builder(connectionId)
            .settings(Settings.of(settings))
            .metrics(metrics(services.meters(), connectionId, type))
            .http(services.http())
            .stateDir(services.stateDir(connectionId))
            .build();
  }

  @Override
  public String connectionId() {
    return connectionId;
  }

  @Override
  public Settings settings() {
    return base.settings();
  }

  @Override
  public Logger logger() {
    return base.logger();
  }

  @Override
  public ConnectorMetrics metrics() {
    return base.metrics();
  }

  private static ConnectorMetrics metrics(MeterRegistry r, String connectionId, String type) {
    return new ConnectorMetrics() {
      @Override
      public Counter counter(String name, String... tags) {
        io.micrometer.core.instrument.Counter c =
            r.counter("weir.connector." + name, tags(connectionId, type, tags));
        return c::increment;
      }

      @Override
      public Timer timer(String name, String... tags) {
        io.micrometer.core.instrument.Timer t =
            r.timer("weir.connector." + name, tags(connectionId, type, tags));
        return t::record;
      }
    };
  }

  private static String[] tags(String connectionId, String type, String[] extra) {
    if (extra.length % 2 != 0) {
      throw new IllegalArgumentException(
          "tags must be key, value pairs: " + Arrays.toString(extra));
    }
    List<String> all = new ArrayList<>(List.of("connection", connectionId, "type", type));
    all.addAll(Arrays.asList(extra));
    return all.toArray(String[]::new);
  }

  @Override
  public HttpClient http() {
    return base.http();
  }

  @Override
  public StateStore state() {
    return base.state();
  }

  @Override
  public CompletionStage<SubmitResult> submit(List<Event> events) {
    if (pipeline == null) {
      throw new UnsupportedOperationException("connection '" + connectionId + "' is not a source");
    }
    return pipeline.submit(connectionId, events);
  }
}
