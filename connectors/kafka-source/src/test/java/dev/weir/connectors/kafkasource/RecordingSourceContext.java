package dev.weir.connectors.kafkasource;

import dev.weir.sdk.ConnectorMetrics;
import dev.weir.sdk.Event;
import dev.weir.sdk.Settings;
import dev.weir.sdk.SourceContext;
import dev.weir.sdk.StateStore;
import dev.weir.sdk.StoreUnavailableException;
import dev.weir.sdk.SubmitResult;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A source context that records what was submitted and can refuse the first N submissions. */
final class RecordingSourceContext implements SourceContext {
  final List<Event> submitted = new CopyOnWriteArrayList<>();
  final AtomicInteger refusals = new AtomicInteger();
  private final AtomicInteger refuseNext = new AtomicInteger();
  private final Settings settings;

  RecordingSourceContext(Map<String, ?> settings) {
    this.settings = Settings.of(settings);
  }

  void refuseNextSubmissions(int n) {
    refuseNext.set(n);
  }

  @Override
  public CompletionStage<SubmitResult> submit(List<Event> events) {
    if (refuseNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      refusals.incrementAndGet();
      return CompletableFuture.failedFuture(new StoreUnavailableException("disk full"));
    }
    submitted.addAll(events);
    return CompletableFuture.completedFuture(
        new SubmitResult(Collections.nCopies(events.size(), SubmitResult.EventStatus.STORED)));
  }

  @Override
  public String connectionId() {
    return "kafka-test";
  }

  @Override
  public Settings settings() {
    return settings;
  }

  @Override
  public Logger logger() {
    return LoggerFactory.getLogger("weir.connector.kafka-test");
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
        return duration -> {};
      }
    };
  }

  @Override
  public OkHttpClient httpClient() {
    throw new UnsupportedOperationException("kafka-source makes no HTTP calls");
  }

  @Override
  public OkHttpClient httpClient(Duration connectTimeout, Duration readTimeout) {
    return httpClient();
  }

  @Override
  public StateStore state() {
    Map<String, String> map = new ConcurrentHashMap<>();
    return new StateStore() {
      @Override
      public Optional<String> get(String key) {
        return Optional.ofNullable(map.get(key));
      }

      @Override
      public void put(String key, String value) {
        map.put(key, value);
      }

      @Override
      public void delete(String key) {
        map.remove(key);
      }
    };
  }
}
