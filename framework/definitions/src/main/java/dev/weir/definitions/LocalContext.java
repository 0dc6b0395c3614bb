package dev.weir.definitions;

import dev.weir.sdk.ConnectorContext;
import dev.weir.sdk.ConnectorMetrics;
import dev.weir.sdk.Settings;
import dev.weir.sdk.StateStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ConnectorContext} for the partner tools ({@code connector send}) and tests: given
 * settings and HTTP client, state kept in memory, metrics discarded. Not what the host uses.
 * Thread-safe.
 */
public final class LocalContext implements ConnectorContext {
  private final String id;
  private final Settings settings;
  private final OkHttpClient http;
  private final StateStore state;

  public LocalContext(String id, Map<String, ?> settings, OkHttpClient http) {
    this(id, settings, http, new MemoryState());
  }

  public LocalContext(String id, Map<String, ?> settings, OkHttpClient http, StateStore state) {
    this.id = id;
    this.settings = Settings.of(settings);
    this.http = http;
    this.state = state;
  }

  /** A thread-safe in-memory {@link StateStore}. */
  public static final class MemoryState implements StateStore {
    private final Map<String, String> values = new ConcurrentHashMap<>();

    @Override
    public Optional<String> get(String key) {
      return Optional.ofNullable(values.get(key));
    }

    @Override
    public void put(String key, String value) {
      values.put(key, value);
    }

    @Override
    public void delete(String key) {
      values.remove(key);
    }
  }

  @Override
  public String connectionId() {
    return id;
  }

  @Override
  public Settings settings() {
    return settings;
  }

  @Override
  public Logger logger() {
    return LoggerFactory.getLogger("weir.connection." + id);
  }

  @Override
  public ConnectorMetrics metrics() {
    return new ConnectorMetrics() {
      @Override
      public Counter counter(String name, String... tags) {
        return amount -> {};
      }

      @Override
      public Timer timer(String name, String... tags) {
        return d -> {};
      }
    };
  }

  @Override
  public OkHttpClient httpClient() {
    return http;
  }

  @Override
  public OkHttpClient httpClient(Duration connectTimeout, Duration readTimeout) {
    return http.newBuilder().connectTimeout(connectTimeout).readTimeout(readTimeout).build();
  }

  @Override
  public StateStore state() {
    return state;
  }
}
