package dev.weir.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BulkheadIT {
  @StartStop final MockWebServer stuck = new MockWebServer();
  @StartStop final MockWebServer healthy = new MockWebServer();
  @TempDir Path dir;

  @Test
  void healthyDestinationKeepsUpWhileAnotherAnswersInTenSeconds() {
    stuck.setDispatcher(
        new Receiver(
            (n, events) ->
                new MockResponse.Builder().code(200).headersDelay(10, TimeUnit.SECONDS).build()));
    assertHealthyKeepsUp();
  }

  @Test
  void healthyDestinationKeepsUpWhileAnotherNeverAnswers() {
    stuck.setDispatcher(
        new Receiver(
            (n, events) ->
                new MockResponse.Builder()
                    .code(200)
                    .onResponseStart(SocketEffect.Stall.INSTANCE)
                    .build()));
    assertHealthyKeepsUp();
  }

  @Test
  void healthyDestinationKeepsUpWhileAnotherIsRateLimited() {
    stuck.setDispatcher(
        new Receiver(
            (n, events) ->
                new MockResponse.Builder()
                    .code(429)
                    .setHeader("Retry-After", "30")
                    .body("slow down")
                    .build()));
    assertHealthyKeepsUp();
  }

  private void assertHealthyKeepsUp() {
    Receiver good = Receiver.alwaysOk();
    healthy.setDispatcher(good);
    InMemoryDeliveryLog log = new InMemoryDeliveryLog(4);
    try (DeliveryEngine engine = Fixture.engine(log, dir)) {
      engine.addDestination(Fixture.fast("slow").build(), Fixture.http(stuck));
      engine.addDestination(Fixture.fast("good").build(), Fixture.http(healthy));
      engine.start();
      int total = 0;
      for (int round = 0; round < 5; round++) {
        Fixture.append(log, total, 1000, 100);
        total += 1000;
        engine.signal();
        int expected = total;
        await().atMost(Duration.ofSeconds(20)).until(() -> good.distinctAccepted() == expected);
        await().atMost(Duration.ofSeconds(5)).until(() -> engine.status("good").lagEvents() == 0);
        // the stuck destination is still stuck, and its backlog only grows against its own cursor
        assertThat(engine.status("slow").delivered()).isZero();
        assertThat(engine.status("slow").lagEvents()).isEqualTo(total);
      }
      assertThat(good.noDuplicates()).isTrue();
      assertThat(engine.status("good").delivered()).isEqualTo(5000);
      assertThat(engine.retentionFloor(0)).isZero();
    }
  }
}
