package dev.weir.definitions;

import dev.weir.runtime.MemoryStateStore;
import dev.weir.runtime.RuntimeContext;
import dev.weir.sdk.ConnectorContext;
import dev.weir.sdk.ConnectorMetrics;
import dev.weir.sdk.Settings;
import dev.weir.sdk.StateStore;
import dev.weir.sdk.http.HttpClient;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ConnectorContext} for the partner tools ({@code connector send}) and tests: the
 * runtime's {@link RuntimeContext} with given settings and HTTP client, state kept in memory,
 * metrics discarded. Thread-safe.
 */
public final class LocalContext implements ConnectorContext {
  private final RuntimeContext base;

  public LocalContext(String id, Map<String, ?> settings, OkHttpClient http) {
    this(id, settings, http, new MemoryState());
  }

  public LocalContext(String id, Map<String, ?> settings, OkHttpClient http, StateStore state) {
    this.base =
        RuntimeContext.builder(id)
            .settings(Settings.of(settings))
            .logger(LoggerFactory.getLogger("weir.connection." + id))
            .http(http)
            .state(state)
            .build();
  }

  /** A thread-safe in-memory {@link StateStore} (the runtime's {@link MemoryStateStore}). */
  public static final class MemoryState extends MemoryStateStore {}

  @Override
  public String connectionId() {
    return base.connectionId();
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

  @Override
  public HttpClient http() {
    return base.http();
  }

  @Override
  public StateStore state() {
    return base.state();
  }
}
