package dev.weir.host.pipeline;

import dev.weir.sdk.ConnectorContext;
import dev.weir.sdk.ConnectorMetrics;
import dev.weir.sdk.Event;
import dev.weir.sdk.Settings;
import dev.weir.sdk.SourceContext;
import dev.weir.sdk.StateStore;
import dev.weir.sdk.SubmitResult;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's {@link ConnectorContext} for one connection (also a {@link SourceContext} when given a
 * pipeline). Thread-safe; the state store is opened on first use.
 */
public final class HostConnectorContext implements SourceContext {
  private final String connectionId;
  private final String type;
  private final Settings settings;
  private final HostServices services;
  private final Pipeline pipeline;
  private final Logger logger;
  private volatile StateStore state;

  public HostConnectorContext(
      String connectionId,
      String type,
      Map<String, Object> settings,
      HostServices services,
      Pipeline pipeline) {
    this.connectionId = connectionId;
    this.type = type;
    this.settings = Settings.of(settings);
    this.services = services;
    this.pipeline = pipeline;
    this.logger = LoggerFactory.getLogger("weir.connector." + connectionId);
  }

  @Override
  public String connectionId() {
    return connectionId;
  }

  @Override
  public Settings settings() {
    return settings;
  }

  @Override
  public Logger logger() {
    return logger;
  }

  @Override
  public ConnectorMetrics metrics() {
    MeterRegistry r = services.meters();
    return new ConnectorMetrics() {
      @Override
      public Counter counter(String name, String... tags) {
        io.micrometer.core.instrument.Counter c = r.counter("weir.connector." + name, tags(tags));
        return c::increment;
      }

      @Override
      public Timer timer(String name, String... tags) {
        io.micrometer.core.instrument.Timer t = r.timer("weir.connector." + name, tags(tags));
        return t::record;
      }
    };
  }

  private String[] tags(String[] extra) {
    if (extra.length % 2 != 0) {
      throw new IllegalArgumentException(
          "tags must be key, value pairs: " + Arrays.toString(extra));
    }
    List<String> all = new ArrayList<>(List.of("connection", connectionId, "type", type));
    all.addAll(Arrays.asList(extra));
    return all.toArray(String[]::new);
  }

  @Override
  public OkHttpClient httpClient() {
    return services.http();
  }

  @Override
  public OkHttpClient httpClient(Duration connectTimeout, Duration readTimeout) {
    return services
        .http()
        .newBuilder()
        .connectTimeout(connectTimeout)
        .readTimeout(readTimeout)
        .writeTimeout(readTimeout)
        .build();
  }

  @Override
  public StateStore state() {
    StateStore s = state;
    if (s == null) {
      synchronized (this) {
        if (state == null) {
          state = new FileStateStore(services.stateDir(connectionId));
        }
        s = state;
      }
    }
    return s;
  }

  @Override
  public CompletionStage<SubmitResult> submit(List<Event> events) {
    if (pipeline == null) {
      throw new UnsupportedOperationException("connection '" + connectionId + "' is not a source");
    }
    return pipeline.submit(connectionId, events);
  }
}
