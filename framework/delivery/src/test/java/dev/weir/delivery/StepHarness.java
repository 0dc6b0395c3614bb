package dev.weir.delivery;

import dev.weir.runtime.Redactor;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs delivery steps in isolation: a recording {@link DeliveryRun} and a chain whose innermost
 * step answers with given outcomes.
 */
final class StepHarness implements DeliveryRun {
  final DestinationConfig config;
  final DestinationMetrics metrics;
  final Clock clock = Clock.fixed(Instant.ofEpochMilli(1_000_000), ZoneOffset.UTC);
  final List<Item> delivered = new ArrayList<>();
  final List<Item> resolvedDead = new ArrayList<>();
  final List<long[]> retryDelays = new ArrayList<>();
  final List<Item> retried = new ArrayList<>();
  final List<DeadLetter> deadLetters = new ArrayList<>();
  final List<List<Item>> sent = new ArrayList<>();
  final List<Duration> holds = new ArrayList<>();
  boolean halted;
  boolean deadLetterStoreBroken;
  Redactor redactor = Redactor.NONE;

  StepHarness(DestinationConfig config) {
    this.config = config;
    this.metrics = new DestinationMetrics(config.id(), new SimpleMeterRegistry());
  }

  StepHarness() {
    this(DestinationConfig.builder("dest").build());
  }

  static List<Item> items(int n) {
    List<Item> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Event e =
          Event.builder()
              .eventType("e")
              .insertId("i-" + i)
              .userId("u" + i)
              .uploadTime(999_000L)
              .build();
      out.add(new Item(0, i, e, (it, ok) -> {}, 999_000));
    }
    return out;
  }

  /** {@code steps} (outermost first) over an innermost step answering with {@code answer}. */
  Attempt run(List<Item> items, Function<List<Item>, List<Outcome>> answer, DeliveryStep... steps) {
    List<DeliveryStep> all = new ArrayList<>(List.of(steps));
    all.add(
        chain -> {
          sent.add(List.copyOf(chain.items()));
          return Attempt.of(chain.items(), answer.apply(chain.items()), clock.millis());
        });
    return new DeliveryChain(all, this).attempt(items);
  }

  @Override
  public DestinationConfig config() {
    return config;
  }

  @Override
  public DestinationMetrics metrics() {
    return metrics;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Redactor redactor() {
    return redactor;
  }

  @Override
  public boolean halted() {
    return halted;
  }

  @Override
  public void resolve(Item item, boolean ok) {
    (ok ? delivered : resolvedDead).add(item);
  }

  @Override
  public void retryLater(Item item, long delayMillis, long now) {
    retried.add(item);
    retryDelays.add(new long[] {delayMillis, now});
  }

  @Override
  public boolean expired(Item item, long now) {
    return now - item.receivedAt > config.retention().toMillis();
  }

  @Override
  public void writeDeadLetters(List<DeadLetter> letters) {
    if (deadLetterStoreBroken) {
      throw new UncheckedIOException(new java.io.IOException("disk full"));
    }
    deadLetters.addAll(letters);
  }

  @Override
  public void holdDestination(Duration duration) {
    holds.add(duration);
  }
}
