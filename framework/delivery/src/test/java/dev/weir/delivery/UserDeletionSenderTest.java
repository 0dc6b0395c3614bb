package dev.weir.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import dev.weir.sdk.StreamingDestination;
import dev.weir.sdk.UserDeletion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserDeletionSenderTest {
  @TempDir Path dir;

  /** Deletes users: answers retry {@code failures} times, then delivered. */
  static final class Erasing extends StreamingDestination {
    final int failures;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger concurrent = new AtomicInteger();
    volatile int maxConcurrent;

    Erasing(int failures) {
      this.failures = failures;
    }

    @Override
    public ConnectorSpec spec() {
      return ConnectorSpec.builder("erasing").version("1.0.0").build();
    }

    @Override
    public List<Outcome> deliver(List<Event> batch) {
      return batch.stream().map(e -> Outcome.delivered()).toList();
    }

    @Override
    public boolean deletesUsers() {
      return true;
    }

    @Override
    public Outcome deleteUser(UserDeletion request) {
      maxConcurrent = Math.max(maxConcurrent, concurrent.incrementAndGet());
      try {
        return calls.incrementAndGet() <= failures
            ? Outcome.retry("partner down").withStatusCode(503)
            : Outcome.delivered();
      } finally {
        concurrent.decrementAndGet();
      }
    }
  }

  record Attempt(String destination, int attempts, Outcome.Status status, boolean finished) {}

  private static UserDeletion request(String id) {
    return new UserDeletion(id, "web", "alice", Set.of("device-1"));
  }

  @Test
  void aDeletionThePartnerRefusesForAWhileIsRetriedWithBackoffUntilDoneOneCallAtATime() {
    Erasing partner = new Erasing(2);
    List<Attempt> seen = new CopyOnWriteArrayList<>();
    try (DeliveryEngine engine = Fixture.engine(new InMemoryDeliveryLog(1), dir)) {
      engine.addDestination(Fixture.fast("crm").build(), partner);
      engine.start();
      assertThat(engine.deletesUsers("crm")).isTrue();
      for (int i = 0; i < 3; i++) {
        engine.deleteUser(
            "crm",
            request("d-" + i),
            (d, n, o, finished) -> seen.add(new Attempt(d, n, o.status(), finished)));
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> seen.stream().filter(Attempt::finished).count() == 3);
    }
    assertThat(seen.stream().filter(Attempt::finished))
        .allSatisfy(a -> assertThat(a.status()).isEqualTo(Outcome.Status.DELIVERED));
    assertThat(seen.stream().filter(a -> !a.finished()))
        .hasSize(2)
        .allSatisfy(a -> assertThat(a.status()).isEqualTo(Outcome.Status.RETRY));
    assertThat(partner.maxConcurrent).isEqualTo(1);
  }

  @Test
  void aDeletionStillRefusedAtMaxAttemptsIsGivenUpWithTheReason() {
    Erasing partner = new Erasing(Integer.MAX_VALUE);
    List<Outcome> finished = new CopyOnWriteArrayList<>();
    AtomicInteger attempts = new AtomicInteger();
    try (DeliveryEngine engine = Fixture.engine(new InMemoryDeliveryLog(1), dir)) {
      engine.addDestination(Fixture.fast("crm").maxAttempts(3).build(), partner);
      engine.start();
      engine.deleteUser(
          "crm",
          request("d-1"),
          (d, n, o, done) -> {
            attempts.set(n);
            if (done) {
              finished.add(o);
            }
          });
      await().atMost(Duration.ofSeconds(10)).until(() -> !finished.isEmpty());
    }
    assertThat(attempts.get()).isEqualTo(3);
    assertThat(partner.calls.get()).isEqualTo(3);
    assertThat(finished)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.status()).isEqualTo(Outcome.Status.REJECTED);
              assertThat(o.reason()).contains("gave up after 3 attempts").contains("partner down");
              assertThat(o.statusCode()).isEqualTo(503);
            });
  }

  @Test
  void aDestinationThatDoesNotDeleteUsersSaysSoAndTheDefaultHookRejects() throws Exception {
    StreamingDestination plain =
        new StreamingDestination() {
          @Override
          public ConnectorSpec spec() {
            return ConnectorSpec.builder("plain").version("1.0.0").build();
          }

          @Override
          public List<Outcome> deliver(List<Event> batch) {
            return List.of();
          }
        };
    try (DeliveryEngine engine = Fixture.engine(new InMemoryDeliveryLog(1), dir)) {
      engine.addDestination(Fixture.fast("hook").build(), plain);
      assertThat(engine.deletesUsers("hook")).isFalse();
    }
    assertThat(plain.deleteUser(request("d-1")).status()).isEqualTo(Outcome.Status.REJECTED);
  }
}
