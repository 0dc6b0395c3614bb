package dev.weir.connectors.http;

import dev.weir.sdk.ConnectorMetrics;
import dev.weir.sdk.Event;
import dev.weir.sdk.Settings;
import dev.weir.sdk.SourceContext;
import dev.weir.sdk.StateStore;
import dev.weir.sdk.StoreUnavailableException;
import dev.weir.sdk.SubmitResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SourceContext that stores submitted events in a list, or refuses them when told the store is
 * down.
 */
final class RecordingSourceContext implements SourceContext {
  final List<Event> submitted = new CopyOnWriteArrayList<>();
  volatile boolean storeDown;

  /** When set, submit waits for it: a store that is slow to answer. */
  volatile java.util.concurrent.CountDownLatch slowStore;

  final java.util.concurrent.CountDownLatch submitEntered =
      new java.util.concurrent.CountDownLatch(1);
  private final Settings settings;

  RecordingSourceContext(Map<String, ?> settings) {
    this.settings = Settings.of(settings);
  }

  @Override
  public CompletionStage<SubmitResult> submit(List<Event> events) {
    if (storeDown) {
      return CompletableFuture.failedFuture(new StoreUnavailableException("disk full"));
    }
    submitEntered.countDown();
    java.util.concurrent.CountDownLatch slow = slowStore;
    if (slow != null) {
      try {
        if (!slow.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
          return CompletableFuture.failedFuture(
              new StoreUnavailableException("test store never released"));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return CompletableFuture.failedFuture(e);
      }
    }
    submitted.addAll(events);
    return CompletableFuture.completedFuture(
        new SubmitResult(
            new ArrayList<>(Collections.nCopies(events.size(), SubmitResult.EventStatus.STORED))));
  }

  @Override
  public String connectionId() {
    return "web";
  }

  @Override
  public Settings settings() {
    return settings;
  }

  @Override
  public Logger logger() {
    return LoggerFactory.getLogger("weir.connector.web");
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
