package dev.weir.delivery;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outermost step: writes the items marked dead to the destination's dead-letter store (reason,
 * classification, history, redacted last reason) and resolves them. When the store cannot be
 * written, nothing is lost: the items are scheduled for another attempt with backoff instead.
 */
final class DeadLetterStep implements DeliveryStep {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterStep.class);

  private final Backoff backoff;

  DeadLetterStep(Backoff backoff) {
    this.backoff = backoff;
  }

  @Override
  public Attempt intercept(Chain chain) {
    Attempt a = chain.proceed(chain.items());
    if (a.settled()) {
      return a;
    }
    List<Integer> deadIndexes = a.indexes(Attempt.Verdict.DEAD);
    if (deadIndexes.isEmpty()) {
      return a;
    }
    DeliveryRun run = chain.run();
    long now = a.at;
    List<DeadLetter> dead = new ArrayList<>();
    List<Item> deadItems = new ArrayList<>();
    for (int i : deadIndexes) {
      Item it = a.items.get(i);
      dead.add(letter(run.config(), it, a.deadReason[i], a.classification[i], now));
      deadItems.add(it);
    }
    try {
      run.writeDeadLetters(dead);
    } catch (UncheckedIOException e) {
      LOG.error(
          "destination {}: cannot write dead letters; keeping the events for retry",
          run.config().id(),
          e);
      deadItems.forEach(it -> run.retryLater(it, backoff.delayMillis(it.attempts), now));
      deadIndexes.forEach(i -> a.verdicts[i] = Attempt.Verdict.SCHEDULED);
      return a;
    }
    for (DeadLetter d : dead) {
      run.metrics().deadLettered.increment();
      if (d.reason().equals("expired")) {
        run.metrics().expired.increment();
      }
    }
    deadItems.forEach(it -> run.resolve(it, false));
    deadIndexes.forEach(i -> a.verdicts[i] = Attempt.Verdict.RESOLVED);
    return a;
  }

  /** The dead letter of {@code it} for this destination. */
  static DeadLetter letter(
      DestinationConfig config, Item it, String reason, String classification, long now) {
    return new DeadLetter(
        UUID.randomUUID().toString(),
        config.id(),
        reason,
        classification,
        it.partition,
        it.sequence,
        it.event,
        it.attempts,
        it.firstAttemptAt,
        it.lastAttemptAt,
        it.lastStatus,
        it.lastReason,
        now);
  }
}
