package dev.weir.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGKILLs a JVM running the engine mid-delivery, restarts it on the same state directory. */
class ProcessKillIT {
  private static final int EVENTS = 12_000;
  @StartStop final MockWebServer server = new MockWebServer();
  @TempDir Path dir;

  private Process child() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                CrashChild.class.getName(),
                dir.toString(),
                server.url("/batch").toString(),
                Integer.toString(EVENTS)))
        .redirectErrorStream(true)
        .redirectOutput(new File(dir.toFile(), "child.log"))
        .start();
  }

  @Test
  void sigkillMidDeliveryThenRestartDeliversEveryEventAtLeastOnceWithFewDuplicates()
      throws Exception {
    Receiver receiver =
        new Receiver(
            (n, events) ->
                new MockResponse.Builder()
                    .code(200)
                    .headersDelay(2, TimeUnit.MILLISECONDS)
                    .body("{}")
                    .build());
    server.setDispatcher(receiver);

    Process first = child();
    await().atMost(Duration.ofSeconds(60)).until(() -> receiver.distinctAccepted() >= EVENTS / 4);
    first.destroyForcibly(); // SIGKILL: no shutdown hook, no final cursor save
    assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).isNotZero();
    int acceptedBeforeKill = receiver.acceptedInOrder.size();
    assertThat(acceptedBeforeKill).isLessThan(EVENTS);

    Process second = child();
    assertThat(second.waitFor(90, TimeUnit.SECONDS)).as("restarted engine finishes").isTrue();
    assertThat(second.exitValue()).isZero();

    assertThat(receiver.distinctAccepted()).isEqualTo(EVENTS);
    int duplicates = receiver.acceptedInOrder.size() - EVENTS;
    // only what was read ahead of the last saved cursor (at most max_outstanding_events) is sent
    // again
    assertThat(duplicates).isLessThanOrEqualTo(400);
  }
}
