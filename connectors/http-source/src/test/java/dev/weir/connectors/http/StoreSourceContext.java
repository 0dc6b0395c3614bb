package dev.weir.connectors.http;

import dev.weir.realtime.AppendResult;
import dev.weir.realtime.RealtimeStore;
import dev.weir.realtime.StoreOptions;
import dev.weir.sdk.ConnectorMetrics;
import dev.weir.sdk.Event;
import dev.weir.sdk.Settings;
import dev.weir.sdk.SourceContext;
import dev.weir.sdk.StateStore;
import dev.weir.sdk.StoreUnavailableException;
import dev.weir.sdk.SubmitResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SourceContext in front of a REAL {@link RealtimeStore}: stamps source_id and upload_time like
 * the host does, appends, and reports the store's verdicts, so dedup in these tests is the store's
 * own. Can be told to refuse.
 */
final class StoreSourceContext implements SourceContext {
  final List<Event> stored = new CopyOnWriteArrayList<>();
  final AtomicInteger duplicates = new AtomicInteger();
  volatile boolean refuse;
  private final String id;
  private final Settings settings;
  private final RealtimeStore store;

  StoreSourceContext(String id, Map<String, ?> settings, RealtimeStore store) {
    this.id = id;
    this.settings = Settings.of(settings);
    this.store = store;
  }

  static RealtimeStore openStore(Path dir) throws IOException {
    return RealtimeStore.open(StoreOptions.builder(dir).build());
  }

  @Override
  public CompletionStage<SubmitResult> submit(List<Event> events) {
    if (refuse) {
      return CompletableFuture.failedFuture(new StoreUnavailableException("disk full"));
    }
    long now = System.currentTimeMillis();
    List<Event> stamped = new ArrayList<>(events.size());
    for (Event e : events) {
      Event.Builder b = e.toBuilder().sourceId(id);
      if (e.uploadTime() == null) {
        b.uploadTime(now);
      }
      stamped.add(b.build());
    }
    try {
      List<AppendResult> results = store.append(stamped);
      List<SubmitResult.EventStatus> statuses = new ArrayList<>();
      for (int i = 0; i < results.size(); i++) {
        switch (results.get(i).status()) {
          case STORED -> {
            stored.add(stamped.get(i));
            statuses.add(SubmitResult.EventStatus.STORED);
          }
          case DUPLICATE -> {
            duplicates.incrementAndGet();
            statuses.add(SubmitResult.EventStatus.DUPLICATE);
          }
          case REJECTED ->
              throw new IllegalStateException("store rejected: " + results.get(i).reason());
        }
      }
      return CompletableFuture.completedFuture(new SubmitResult(statuses));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(new StoreUnavailableException(e.getMessage(), e));
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
    return LoggerFactory.getLogger("weir.connector." + id);
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
  public StateStore state() {
    return new StateStore() {
      @Override
      public Optional<String> get(String key) {
        return Optional.empty();
      }

      @Override
      public void put(String key, String value) {}

      @Override
      public void delete(String key) {}
    };
  }
}
