package dev.weir.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import dev.weir.sdk.StreamingDestination;
import dev.weir.sdk.UserDeletion;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * User deletions go to a partner's real HTTP endpoint under the destination's pause and rate limit,
 * with the limiter's time moved by hand through the engine's clock seam.
 */
class UserDeletionPacingIT {
  @TempDir Path dir;
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final MockWebServer partner = new MockWebServer();
  private final List<Outcome> finished = new CopyOnWriteArrayList<>();

  /** Deletes a user with {@code DELETE /users/{user id}}: 2xx is done, 429 and 5xx are retried. */
  static final class HttpErasing extends StreamingDestination {
    private final String base;

    HttpErasing(String base) {
      this.base = base;
    }

    @Override
    public ConnectorSpec spec() {
      return ConnectorSpec.builder("http-erasing").version("1.0.0").build();
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
    public Outcome deleteUser(UserDeletion request) throws IOException {
      Request r =
          new Request.Builder()
              .url(base + "users/" + request.userId())
              .header("Idempotency-Key", request.deletionId())
              .delete()
              .build();
      try (Response answer = Fixture.CLIENT.newCall(r).execute()) {
        int code = answer.code();
        if (code >= 200 && code < 300) {
          return Outcome.delivered().withStatusCode(code);
        }
        return (code == 429 || code >= 500
                ? Outcome.retry("HTTP " + code)
                : Outcome.rejected("HTTP " + code))
            .withStatusCode(code);
      }
    }
  }

  @BeforeEach
  void startPartner() throws IOException {
    partner.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return new MockResponse.Builder().code(204).build();
          }
        });
    partner.start();
  }

  @AfterEach
  void stopPartner() {
    partner.close();
  }

  private DeliveryEngine engine() {
    return DeliveryEngine.builder()
        .log(new InMemoryDeliveryLog(1))
        .stateDir(dir)
        .nanoClock(nanos::get)
        .stopGrace(Duration.ofSeconds(2))
        .build();
  }

  private void delete(DeliveryEngine engine, String deletionId, String user) {
    engine.deleteUser(
        "crm",
        new UserDeletion(deletionId, "web", user, Set.of()),
        (d, n, o, done) -> {
          if (done) {
            finished.add(o);
          }
        });
  }

  @Test
  void aPausedDestinationReceivesNoDeletionUntilItIsResumed() throws Exception {
    try (DeliveryEngine engine = engine()) {
      engine.addDestination(
          Fixture.fast("crm").build(), new HttpErasing(partner.url("/").toString()));
      engine.start();
      engine.pause("crm");
      delete(engine, "d-1", "alice");

      await().atMost(Duration.ofSeconds(10)).until(() -> engine.userDeletionsHeld() >= 3);
      assertThat(partner.getRequestCount()).as("requests while paused").isZero();
      assertThat(finished).isEmpty();

      engine.resume("crm");
      await().atMost(Duration.ofSeconds(10)).until(() -> finished.size() == 1);
    }
    assertThat(finished.get(0).status()).isEqualTo(Outcome.Status.DELIVERED);
    RecordedRequest sent = partner.takeRequest();
    assertThat(sent.getMethod()).isEqualTo("DELETE");
    assertThat(sent.getTarget()).isEqualTo("/users/alice");
    assertThat(partner.getRequestCount()).isEqualTo(1);
  }

  @Test
  void deletionsNeverGoFasterThanTheDestinationsRateLimit() {
    try (DeliveryEngine engine = engine()) {
      engine.addDestination(
          Fixture.fast("crm").requestsPerSecond(2).build(),
          new HttpErasing(partner.url("/").toString()));
      engine.start();
      for (int i = 0; i < 6; i++) {
        delete(engine, "d-" + i, "user-" + i);
      }
      for (int second = 1; second <= 3; second++) {
        int allowed = 2 * second;
        long heldBefore = engine.userDeletionsHeld();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    finished.size() == allowed
                        && (allowed == 6 || engine.userDeletionsHeld() >= heldBefore + 3));
        assertThat(partner.getRequestCount())
            .as("deletions sent by second %d at 2/s", second)
            .isEqualTo(allowed);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        if (allowed == 6) {
          break;
        }
      }
    }
    assertThat(finished)
        .hasSize(6)
        .allSatisfy(o -> assertThat(o.status()).isEqualTo(Outcome.Status.DELIVERED));
  }
}
