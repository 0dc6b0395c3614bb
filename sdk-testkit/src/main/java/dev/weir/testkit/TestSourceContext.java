package dev.weir.testkit;

import dev.weir.sdk.Event;
import dev.weir.sdk.SourceContext;
import dev.weir.sdk.StoreUnavailableException;
import dev.weir.sdk.SubmitResult;
import dev.weir.sdk.SubmitResult.EventStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link SourceContext} whose store is in memory: submissions complete on another thread, like
 * the host's; events with an insert id already stored are reported {@code DUPLICATE} (the real
 * store does so within its window), and the host's defaults ({@code source_id}, {@code
 * upload_time}, {@code time}) are applied. A test can make the store unavailable for the next
 * submissions. Thread-safe.
 */
public final class TestSourceContext extends TestContext implements SourceContext {
  private static final Executor STORE_THREAD =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "weir-testkit-store");
            t.setDaemon(true);
            return t;
          });

  private final Object lock = new Object();
  private final List<Event> stored = new ArrayList<>();
  private final Set<String> keys = new HashSet<>();
  private final AtomicInteger failNext = new AtomicInteger();
  private final AtomicInteger submissions = new AtomicInteger();

  TestSourceContext(Builder b) {
    super(b);
  }

  @Override
  public CompletionStage<SubmitResult> submit(List<Event> events) {
    List<Event> batch = List.copyOf(events);
    submissions.incrementAndGet();
    return CompletableFuture.supplyAsync(
        () -> {
          if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new StoreUnavailableException("test store made unavailable");
          }
          long now = System.currentTimeMillis();
          List<EventStatus> statuses = new ArrayList<>(batch.size());
          synchronized (lock) {
            for (Event e : batch) {
              // As the host does: source_id and upload_time are always the server's.
              Event stamped =
                  e.toBuilder()
                      .sourceId(connectionId())
                      .uploadTime(now)
                      .time(e.time() == null ? now : e.time())
                      .build();
              if (stamped.insertId() == null || keys.add(stamped.insertId())) {
                stored.add(stamped);
                statuses.add(EventStatus.STORED);
              } else {
                statuses.add(EventStatus.DUPLICATE);
              }
            }
            lock.notifyAll();
          }
          return new SubmitResult(statuses);
        },
        STORE_THREAD);
  }

  /**
   * The next {@code n} submissions complete exceptionally with {@link StoreUnavailableException}.
   */
  public void failNextSubmits(int n) {
    failNext.set(n);
  }

  /** Events durable in the store, in order, with the host's defaults applied. */
  public List<Event> stored() {
    synchronized (lock) {
      return List.copyOf(stored);
    }
  }

  /** How many times {@link #submit} was called, including failed and all-duplicate submissions. */
  public int submissions() {
    return submissions.get();
  }

  /**
   * Waits until at least {@code count} events are stored and returns them all.
   *
   * @throws TimeoutException naming how many arrived when {@code timeout} passes first
   */
  public List<Event> awaitStored(int count, Duration timeout)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (stored.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException(
              "expected " + count + " stored events within " + timeout + ", got " + stored.size());
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      return List.copyOf(stored);
    }
  }
}
