package dev.weir.runtime;

import dev.weir.sdk.ConnectorContext;
import dev.weir.sdk.ConnectorMetrics;
import dev.weir.sdk.Settings;
import dev.weir.sdk.StateStore;
import dev.weir.sdk.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ConnectorContext} every runner of connectors uses — the host, partner-definition tools
 * and the SDK test kit — so a connector sees the same thing everywhere. Built with {@link
 * #builder}; immutable apart from the state store, which is opened on first use. Thread-safe.
 */
public final class RuntimeContext implements ConnectorContext {
  /** Metrics that record nothing. */
  public static final ConnectorMetrics NO_METRICS =
      new ConnectorMetrics() {
        @Override
        public Counter counter(String name, String... tags) {
          return amount -> {};
        }

        @Override
        public Timer timer(String name, String... tags) {
          return d -> {};
        }
      };

  private final String connectionId;
  private final Settings settings;
  private final Logger logger;
  private final ConnectorMetrics metrics;
  private final OkHttpConnectorHttp http;
  private final Supplier<StateStore> stateFactory;
  private volatile StateStore state;

  private RuntimeContext(Builder b) {
    this.connectionId = b.connectionId;
    this.settings = b.settings;
    this.logger =
        b.logger != null ? b.logger : LoggerFactory.getLogger("weir.connector." + b.connectionId);
    this.metrics = b.metrics;
    this.http = new OkHttpConnectorHttp(b.http != null ? b.http : SharedHttp.CLIENT);
    this.stateFactory = b.state;
  }

  /** A builder for the context of the connection {@code connectionId}. */
  public static Builder builder(String connectionId) {
    return new Builder(connectionId);
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
    return metrics;
  }

  @Override
  public HttpClient http() {
    return http;
  }

  /** The OkHttp client under {@link #http()}, for framework code (never handed to plugins). */
  public OkHttpClient okHttp() {
    return http.client();
  }

  /** The process-wide client used when none is given (connect 10 s, read and write 30 s). */
  static OkHttpClient defaultOkHttp() {
    return SharedHttp.CLIENT;
  }

  @Override
  public StateStore state() {
    StateStore s = state;
    if (s == null) {
      synchronized (this) {
        if (state == null) {
          state = stateFactory.get();
        }
        s = state;
      }
    }
    return s;
  }

  /** Builds a {@link RuntimeContext}; not thread-safe. */
  public static final class Builder {
    private final String connectionId;
    private Settings settings = Settings.of(java.util.Map.of());
    private Logger logger;
    private ConnectorMetrics metrics = NO_METRICS;
    private OkHttpClient http;
    private Supplier<StateStore> state = MemoryStateStore::new;

    private Builder(String connectionId) {
      this.connectionId = Objects.requireNonNull(connectionId, "connectionId");
    }

    /** Settings already validated (see {@link SettingsSchema#resolve}); empty by default. */
    public Builder settings(Settings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** The connection's logger; {@code weir.connector.<id>} by default. */
    public Builder logger(Logger logger) {
      this.logger = logger;
      return this;
    }

    /** Where the connector's metrics go; nowhere by default. */
    public Builder metrics(ConnectorMetrics metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /**
     * The client whose pool and dispatcher the connection shares (the caller owns it); a
     * process-wide client with connect 10 s, read and write 30 s by default.
     */
    public Builder http(OkHttpClient http) {
      this.http = http;
      return this;
    }

    /**
     * A given state store (such as a {@link MemoryStateStore} a test keeps); in memory by default.
     */
    public Builder state(StateStore state) {
      Objects.requireNonNull(state, "state");
      this.state = () -> state;
      return this;
    }

    /** State in a {@link FileStateStore} in {@code dir}, opened on first use. */
    public Builder stateDir(Path dir) {
      Objects.requireNonNull(dir, "dir");
      this.state = () -> new FileStateStore(dir);
      return this;
    }

    public RuntimeContext build() {
      return new RuntimeContext(this);
    }
  }

  private static final class SharedHttp {
    static final OkHttpClient CLIENT =
        new OkHttpClient.Builder()
            .connectTimeout(Duration.ofSeconds(10))
            .readTimeout(Duration.ofSeconds(30))
            .writeTimeout(Duration.ofSeconds(30))
            .build();
  }
}
