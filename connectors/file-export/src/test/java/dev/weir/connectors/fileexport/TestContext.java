package dev.weir.connectors.fileexport;

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

/** A small real ConnectorContext for connector tests: given settings, an in-memory state map. */
final class TestContext implements ConnectorContext {
  private final Settings settings;
  private final Map<String, String> state = new ConcurrentHashMap<>();

  TestContext(Map<String, ?> settings) {
    this.settings = Settings.of(settings);
  }

  @Override public String connectionId() { return "test"; }
  @Override public Settings settings() { return settings; }
  @Override public Logger logger() { return LoggerFactory.getLogger("weir.connector.test"); }
  @Override public ConnectorMetrics metrics() {
    return new ConnectorMetrics() {
      @Override public Counter counter(String name, String... tags) { return amount -> { }; }
      @Override public Timer timer(String name, String... tags) { return d -> { }; }
    };
  }
  @Override public OkHttpClient httpClient() { return new OkHttpClient(); }
  @Override public OkHttpClient httpClient(Duration c, Duration r) {
    return new OkHttpClient.Builder().connectTimeout(c).readTimeout(r).build();
  }
  @Override public StateStore state() {
    return new StateStore() {
      @Override public Optional<String> get(String key) { return Optional.ofNullable(state.get(key)); }
      @Override public void put(String key, String value) { state.put(key, value); }
      @Override public void delete(String key) { state.remove(key); }
    };
  }
}
