package dev.weir.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.delivery.DeliveryEngine;
import dev.weir.delivery.DestinationConfig;
import dev.weir.delivery.InMemoryDeliveryLog;
import dev.weir.sdk.Event;
import dev.weir.sdk.StreamingDestination;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A wait the partner's server asks for holds the whole destination — every worker, not only the
 * batch that got the answer: a 503's {@code Retry-After}, a 429's {@code Retry-After}, and a
 * declared {@code delivery.retry.retry_after} header in epoch seconds ({@code X-RateLimit-Reset}).
 * The real engine with four workers delivers to MockWebServer, paced at 10 requests/s so that
 * requests would keep going out during the wait if only one batch were held.
 */
class DestinationHoldIT {
  static final OkHttpClient HTTP = new OkHttpClient();

  /** Requests already on the wire when the wait was answered may still arrive within this. */
  static final long IN_FLIGHT_NANOS = Duration.ofMillis(500).toNanos();

  @StartStop final MockWebServer server = new MockWebServer();
  @TempDir Path dir;

  static Definition definition(String retryAfter) throws DefinitionException {
    return Definitions.parse(
        "hold.yaml",
        """
        apiVersion: weir.dev/v1
        kind: Destination
        metadata: {id: hold, name: Hold, version: 1.0.0, partner: Test, category: marketing}
        settings:
          type: object
          properties:
            base_url: {type: string}
        requests:
          - name: track
            trigger: {where: "true"}
            method: POST
            url: "{{ settings.base_url }}/track"
            body: '{"events": [events.{"id": insert_id}]}'
        delivery:
          mode: batch
          batch: {max_events: 2}
          rate_limit: {requests_per_second: 10}
          retry:
            success: [2xx]
            retry: [429, 5xx]
            drop: [4xx]
        %s
        tests:
          - {name: t, settings: {base_url: "http://x"}, events: [{event_type: X}], expect: {}}
        """
            .formatted(retryAfter));
  }

  /**
   * Delivers 60 events (distinct users, 30 requests at 10/s over 4 workers); the first request gets
   * {@code hold} (given the wall clock in ms); returns the gap between that answer and the first
   * request that was not already in flight.
   */
  private Duration firstRequestAfterTheWait(Definition d, LongFunction<MockResponse> hold)
      throws Exception {
    ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();
    AtomicLong answeredAt = new AtomicLong();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            long now = System.nanoTime();
            synchronized (answeredAt) {
              if (answeredAt.get() == 0) {
                answeredAt.set(now);
                return hold.apply(System.currentTimeMillis());
              }
            }
            arrivals.add(now);
            return new MockResponse.Builder().code(200).body("{}").build();
          }
        });
    InMemoryDeliveryLog log = new InMemoryDeliveryLog(1);
    StreamingDestination dest = Definitions.destination(d);
    dest.start(
        new LocalContext(
            "hold",
            Map.of("base_url", server.url("").toString().replaceAll("/$", "")),
            HTTP,
            new LocalContext.MemoryState()));
    DestinationConfig config =
        DestinationConfig.builder("hold")
            .maxBatchEvents(2)
            .maxBatchDelay(Duration.ofMillis(5))
            .requestsPerSecond(10)
            .workers(4)
            .initialBackoff(Duration.ofMillis(20))
            .build();
    try (DeliveryEngine engine =
        DeliveryEngine.builder().log(log).stateDir(dir).stopGrace(Duration.ofSeconds(2)).build()) {
      engine.addDestination(config, dest);
      engine.start();
      for (int i = 0; i < 60; i++) {
        log.append(
            Event.builder()
                .eventType("E")
                .userId("u" + i)
                .insertId("ins-" + i)
                .time(1_700_000_000_000L + i)
                .build());
      }
      engine.signal();
      await().atMost(Duration.ofSeconds(30)).until(() -> engine.status("hold").delivered() == 60);
      assertThat(engine.status("hold").deadLettered()).isZero();
    }
    long t = answeredAt.get();
    long next =
        arrivals.stream()
            .mapToLong(a -> a - t)
            .filter(gap -> gap > IN_FLIGHT_NANOS)
            .min()
            .orElseThrow();
    return Duration.ofNanos(next);
  }

  @Test
  void a503RetryAfterHoldsEveryWorkerNotOnlyTheBatchThatGotIt() throws Exception {
    Duration gap =
        firstRequestAfterTheWait(
            definition(""),
            now ->
                new MockResponse.Builder()
                    .code(503)
                    .addHeader("Retry-After", "2")
                    .body("down for a moment")
                    .build());
    assertThat(gap).as("no worker sends during the 503's Retry-After: 2").isGreaterThan(ms(1900));
  }

  @Test
  void a429RetryAfterHoldsEveryWorker() throws Exception {
    Duration gap =
        firstRequestAfterTheWait(
            definition(""),
            now ->
                new MockResponse.Builder()
                    .code(429)
                    .addHeader("Retry-After", "2")
                    .body("slow down")
                    .build());
    assertThat(gap).as("no worker sends during the 429's Retry-After: 2").isGreaterThan(ms(1900));
  }

  @Test
  void aDeclaredRateLimitResetHeaderInEpochSecondsHoldsEveryWorkerUntilThen() throws Exception {
    Definition d =
        definition("    retry_after: {header: X-RateLimit-Reset, format: epoch_seconds}");
    Duration gap =
        firstRequestAfterTheWait(
            d,
            now ->
                new MockResponse.Builder()
                    .code(429)
                    // 3 s from now, rounded down to the second: a wait of 2 to 3 s
                    .addHeader("X-RateLimit-Reset", Long.toString(now / 1000 + 3))
                    .body("quota")
                    .build());
    assertThat(gap)
        .as("no worker sends before X-RateLimit-Reset (epoch seconds)")
        .isGreaterThan(ms(1900));
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }
}
