package dev.weir.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import dev.weir.sdk.StreamingDestination;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin that throws errors, returns nulls or the wrong number of outcomes must not lose events
 * or kill workers.
 */
class MisbehavingDestinationIT {
  @TempDir Path dir;

  @Test
  void errorsNullsAndWrongOutcomeCountsAreRetriedUntilTheDestinationBehaves() {
    AtomicInteger calls = new AtomicInteger();
    Set<String> delivered = ConcurrentHashMap.newKeySet();
    StreamingDestination flaky =
        new StreamingDestination() {
          @Override
          public ConnectorSpec spec() {
            return ConnectorSpec.builder("flaky").build();
          }

          @Override
          public List<Outcome> deliver(List<Event> batch) {
            int n = calls.incrementAndGet();
            switch (n % 5) {
              case 1 -> throw new NoClassDefFoundError("com/example/Missing");
              case 2 -> {
                return null;
              }
              case 3 -> {
                List<Outcome> tooMany = new ArrayList<>();
                batch.forEach(e -> tooMany.add(Outcome.delivered()));
                tooMany.add(Outcome.delivered());
                return tooMany;
              }
              case 4 -> {
                List<Outcome> out = new ArrayList<>();
                batch.forEach(e -> out.add(null));
                return out;
              }
              default -> {
                batch.forEach(e -> delivered.add(e.insertId()));
                return batch.stream().map(e -> Outcome.delivered()).toList();
              }
            }
          }
        };
    InMemoryDeliveryLog log = new InMemoryDeliveryLog(2);
    Fixture.append(log, 0, 100, 10);
    try (DeliveryEngine engine = Fixture.engine(log, dir)) {
      engine.addDestination(Fixture.fast("flaky").workers(1).maxBatchEvents(20).build(), flaky);
      engine.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> engine.status("flaky").lagEvents() == 0);
      assertThat(delivered).hasSize(100);
      assertThat(engine.status("flaky").delivered()).isEqualTo(100);
      assertThat(engine.status("flaky").deadLettered()).isZero();
      assertThat(engine.status("flaky").lastError()).isNotEmpty();
    }
  }

  @Test
  void mappingThatThrowsDeadLettersThatEventAndLetsItsNeighboursThrough() {
    Set<String> delivered = ConcurrentHashMap.newKeySet();
    StreamingDestination ok =
        new StreamingDestination() {
          @Override
          public ConnectorSpec spec() {
            return ConnectorSpec.builder("ok").build();
          }

          @Override
          public List<Outcome> deliver(List<Event> batch) {
            batch.forEach(e -> delivered.add(e.insertId()));
            return batch.stream().map(e -> Outcome.delivered()).toList();
          }
        };
    InMemoryDeliveryLog log = new InMemoryDeliveryLog(2);
    Fixture.append(log, 0, 50, 10);
    try (DeliveryEngine engine = Fixture.engine(log, dir)) {
      engine.addDestination(
          Fixture.fast("ok")
              .mapper(
                  e -> {
                    if ("ins-7".equals(e.insertId())) {
                      throw new IllegalStateException("cannot map event 7");
                    }
                    return e;
                  })
              .build(),
          ok);
      engine.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> engine.status("ok").lagEvents() == 0);
      assertThat(delivered).hasSize(49).doesNotContain("ins-7");
      assertThat(engine.deadLetters("ok", "mapping_failed"))
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.event().insertId()).isEqualTo("ins-7");
                assertThat(d.response()).contains("cannot map event 7");
              });
    }
  }
}
