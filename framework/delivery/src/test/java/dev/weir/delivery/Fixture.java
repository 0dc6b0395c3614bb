package dev.weir.delivery;

import dev.weir.delivery.bench.HttpBatchDestination;
import dev.weir.sdk.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;

/** Shared helpers for delivery tests: events, clients and a fast-retry destination config. */
final class Fixture {
  static final OkHttpClient CLIENT =
      new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(30)).build();

  private Fixture() {}

  static Event event(int i, String user) {
    return Event.builder()
        .eventType(i % 2 == 0 ? "page_view" : "purchase")
        .userId(user)
        .insertId("ins-" + i)
        .time(1_700_000_000_000L + i)
        .uploadTime(System.currentTimeMillis())
        .eventProperties(Map.of("n", i))
        .build();
  }

  static List<LogEntry> append(InMemoryDeliveryLog log, int from, int count, int users) {
    List<LogEntry> out = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      out.add(log.append(event(i, "user-" + (i % users))));
    }
    return out;
  }

  static HttpBatchDestination http(MockWebServer server) {
    return new HttpBatchDestination(CLIENT, server.url("/batch").toString(), null);
  }

  static DestinationConfig.Builder fast(String id) {
    return DestinationConfig.builder(id)
        .maxBatchEvents(50)
        .maxBatchDelay(Duration.ofMillis(20))
        .initialBackoff(Duration.ofMillis(20))
        .maxBackoff(Duration.ofMillis(200))
        .workers(2)
        .maxInFlightBatches(4);
  }

  static DeliveryEngine engine(InMemoryDeliveryLog log, Path dir) {
    return DeliveryEngine.builder().log(log).stateDir(dir).stopGrace(Duration.ofSeconds(2)).build();
  }
}
