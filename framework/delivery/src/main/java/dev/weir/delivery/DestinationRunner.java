package dev.weir.delivery;

import dev.weir.runtime.Redactor;
import dev.weir.sdk.Event;
import dev.weir.sdk.StreamingDestination;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the log to one destination: a dispatcher thread reads from the cursor, filters, maps and
 * batches; a pool of workers (the bulkhead) runs each batch through the {@link DeliveryChain} (rate
 * limit, send, verify, bisect, classify, retry, dead-letter). The runner owns the queues, threads,
 * read-ahead and cursors only, and hands the steps a narrow {@link DeliveryRun}. In-flight batches
 * and read-ahead events are bounded, so a stuck destination only accumulates lag against its own
 * cursor. Lifecycle: {@link #start} once, {@link #stop} once; all other methods are thread-safe.
 */
final class DestinationRunner {
  private static final Logger LOG = LoggerFactory.getLogger(DestinationRunner.class);
  private static final int READ_CHUNK = 1000;
  private static final long IDLE_POLL_MILLIS = 20;
  private static final long PERSIST_EVERY_MILLIS = 200;

  final DestinationConfig config;
  final DestinationMetrics metrics;
  private final StreamingDestination destination;
  private final DeliveryLog log;
  private final CursorStore cursorStore;
  private final DeadLetterStore deadLetters;
  private final Clock clock;
  private final Forgetting forgetting;
  private final Redactor redactor;
  private final AdaptiveRateLimiter limiter;
  private final UserOrdering ordering;
  private final CursorTracker tracker;
  private final Batcher batcher;
  private final DeliveryChain chain;
  private final DeliveryRun run = new Run();
  private final PriorityBlockingQueue<Item> retries =
      new PriorityBlockingQueue<>(64, Comparator.comparingLong((Item i) -> i.dueAt));
  private final ConcurrentLinkedQueue<Item> ready = new ConcurrentLinkedQueue<>();
  private final Semaphore outstanding;
  private final Semaphore inFlight;
  private final List<BlockingQueue<Batch>> lanes = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private boolean signalled;
  private final Object persistLock = new Object();
  private boolean persistDirty;
  private volatile boolean running;
  private volatile boolean paused;
  private volatile boolean halted;

  DestinationRunner(
      DestinationConfig config,
      StreamingDestination destination,
      DeliveryLog log,
      CursorStore cursorStore,
      DeadLetterStore deadLetters,
      DestinationMetrics metrics,
      Clock clock,
      java.util.function.LongSupplier nanoClock,
      Forgetting forgetting) {
    this.config = config;
    this.destination = destination;
    this.log = log;
    this.cursorStore = cursorStore;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.clock = clock;
    this.forgetting = forgetting;
    this.redactor = Redactor.of(config.secrets());
    this.limiter =
        new AdaptiveRateLimiter(config.requestsPerSecond(), config.eventsPerSecond(), nanoClock);
    this.ordering = config.orderedPerUser() ? new UserOrdering() : null;
    this.tracker = new CursorTracker(log.partitionCount(), cursorStore.load());
    this.batcher =
        new Batcher(
            config.maxBatchEvents(), config.maxBatchBytes(), config.maxBatchDelay().toMillis());
    this.outstanding = new Semaphore(config.maxOutstandingEvents());
    this.inFlight = new Semaphore(config.maxInFlightBatches());
    this.chain = DeliveryChain.standard(destination, limiter, new Backoff(config), run);
    int laneCount = ordering == null ? 1 : config.workers();
    for (int i = 0; i < laneCount; i++) {
      lanes.add(new LinkedBlockingQueue<>());
    }
    metrics.gauge(
        "weir.delivery.lag.events", "stored events not yet behind the cursor", this::lagEvents);
    metrics.gauge("weir.delivery.lag.seconds", "upload-time lag of the cursor", this::lagSeconds);
    metrics.gauge("weir.delivery.paused", "1 while paused", () -> paused ? 1 : 0);
    metrics.gauge(
        "weir.delivery.rate_limit",
        "current request limit per second, 0 = none",
        limiter::requestRate);
  }

  /** The destination this runner delivers to. */
  StreamingDestination destination() {
    return destination;
  }

  void start() {
    running = true;
    Thread d = new Thread(this::dispatchLoop, "weir-delivery-" + config.id() + "-dispatch");
    d.setDaemon(true);
    threads.add(d);
    Thread c = new Thread(this::persistLoop, "weir-delivery-" + config.id() + "-cursor");
    c.setDaemon(true);
    threads.add(c);
    for (int w = 0; w < config.workers(); w++) {
      BlockingQueue<Batch> lane = lanes.get(ordering == null ? 0 : w);
      Thread t = new Thread(() -> workLoop(lane), "weir-delivery-" + config.id() + "-worker-" + w);
      t.setDaemon(true);
      threads.add(t);
    }
    threads.forEach(Thread::start);
    LOG.info(
        "delivering to {} with {} workers from cursors {}",
        config.id(),
        config.workers(),
        tracker.states().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue().cursor())
            .toList());
  }

  /** Stops reading, lets in-flight calls finish for up to {@code grace}, then saves the cursors. */
  void stop(Duration grace) {
    running = false;
    signal();
    requestPersist();
    long deadline = System.nanoTime() + grace.toNanos();
    for (Thread t : threads) {
      try {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        t.interrupt();
      }
    }
    for (Thread t : threads) {
      try {
        t.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    persistCursors();
  }

  /** Stops like {@link #stop} and removes this destination's meters. */
  void remove(Duration grace) {
    stop(grace);
    metrics.close();
  }

  /** Simulates a crash: threads die where they are, nothing more is saved. */
  void halt() {
    halted = true;
    running = false;
    threads.forEach(Thread::interrupt);
    for (Thread t : threads) {
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  void pause() {
    paused = true;
  }

  void resume() {
    paused = false;
    signal();
  }

  boolean paused() {
    return paused;
  }

  /**
   * For a user deletion: takes a request permit from this destination's rate limiter and returns 0,
   * or returns the nanoseconds to wait (limit reached or a destination-wide hold) taking nothing.
   */
  long deletionPermit() {
    return limiter.tryAcquire(0);
  }

  /** Feeds a user deletion's answer to the rate limiter, as {@link RateLimitStep} does. */
  void deletionAnswered(dev.weir.sdk.Outcome answer) {
    if (answer.statusCode() == 429) {
      limiter.throttled(answer.retryAfter());
    } else {
      limiter.succeeded();
    }
  }

  boolean running() {
    return running;
  }

  /**
   * Hands an item from a replay or redelivery to this destination, blocking while read-ahead is
   * full.
   */
  boolean submit(Item item) throws InterruptedException {
    while (running) {
      if (outstanding.tryAcquire(100, TimeUnit.MILLISECONDS)) {
        ready.add(item);
        signal();
        return true;
      }
    }
    return false;
  }

  void signal() {
    lock.lock();
    try {
      signalled = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  long cursor(int partition) {
    return tracker.cursor(partition);
  }

  long lagEvents() {
    long lag = 0;
    for (int p = 0; p < log.partitionCount(); p++) {
      lag += Math.max(0, log.nextSequence(p) - tracker.cursor(p));
    }
    return lag;
  }

  double lagSeconds() {
    long worst = 0;
    for (int p = 0; p < log.partitionCount(); p++) {
      long next = log.nextSequence(p);
      long cur = Math.max(tracker.cursor(p), log.oldestSequence(p));
      if (next <= cur) {
        continue;
      }
      List<LogEntry> oldest = log.read(p, cur, 1);
      List<LogEntry> newest = log.read(p, next - 1, 1);
      if (oldest.isEmpty() || newest.isEmpty()) {
        continue;
      }
      Long a = oldest.get(0).event().uploadTime();
      Long b = newest.get(0).event().uploadTime();
      if (a != null && b != null) {
        worst = Math.max(worst, b - a);
      }
    }
    return worst / 1000.0;
  }

  double requestRateLimit() {
    return limiter.requestRate();
  }

  // ---- dispatcher ----

  private void dispatchLoop() {
    while (running) {
      try {
        long now = clock.millis();
        boolean progress = false;
        if (!paused) {
          progress |= drainReady(now);
          progress |= drainRetries(now);
          progress |= readLog(now);
          for (Batch b : batcher.due(now, false)) {
            dispatch(b);
          }
        }
        if (!progress) {
          awaitSignal(waitMillis(now));
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.error("delivery dispatcher of {} failed; retrying", config.id(), e);
        metrics.error(Excerpts.clean(redactor, String.valueOf(e.getMessage())), clock.millis());
        try {
          awaitSignal(100);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  private long waitMillis(long now) {
    long wait = IDLE_POLL_MILLIS;
    if (!paused) {
      wait = Math.min(wait, batcher.nextDeadline() - now);
      Item head = retries.peek();
      if (head != null) {
        wait = Math.min(wait, head.dueAt - now);
      }
    }
    return Math.max(1, wait);
  }

  private void awaitSignal(long millis) throws InterruptedException {
    lock.lock();
    try {
      if (!signalled) {
        wake.await(millis, TimeUnit.MILLISECONDS);
      }
      signalled = false;
    } finally {
      lock.unlock();
    }
  }

  private boolean drainReady(long now) throws InterruptedException {
    boolean any = false;
    Item it;
    while ((it = ready.poll()) != null) {
      any = true;
      offer(it, now);
    }
    return any;
  }

  private boolean drainRetries(long now) throws InterruptedException {
    boolean any = false;
    Item head;
    while ((head = retries.peek()) != null && head.dueAt <= now) {
      Item it = retries.poll();
      if (it == null) {
        break;
      }
      metrics.retrying.decrementAndGet();
      any = true;
      offer(it, now);
    }
    return any;
  }

  private boolean readLog(long now) throws InterruptedException {
    boolean any = false;
    for (int p = 0; p < log.partitionCount() && running && !paused; p++) {
      int room = outstanding.availablePermits();
      if (room <= 0) {
        break;
      }
      any |= rereadRestored(p, now);
      room = outstanding.availablePermits();
      if (room <= 0) {
        break;
      }
      long from = tracker.readPosition(p);
      long oldest = log.oldestSequence(p);
      if (oldest > from) {
        metrics.lost.increment(oldest - from);
        metrics.error(
            "log dropped " + (oldest - from) + " undelivered events of partition " + p, now);
        LOG.warn(
            "destination {}: log dropped {} undelivered events of partition {} (retention shorter than lag)",
            config.id(),
            oldest - from,
            p);
        tracker.jump(p, oldest);
        from = oldest;
      }
      List<LogEntry> entries = log.read(p, from, Math.min(room, READ_CHUNK));
      for (LogEntry e : entries) {
        any = true;
        accept(e, now);
      }
    }
    return any;
  }

  /**
   * After a restart: reads again the sequences that were unresolved at the last save, before
   * anything new.
   */
  private boolean rereadRestored(int p, long now) throws InterruptedException {
    boolean any = false;
    long[] r;
    while ((r = tracker.restoredRange(p, Math.min(outstanding.availablePermits(), READ_CHUNK)))
        != null) {
      any = true;
      long expect = r[0];
      for (LogEntry e : log.read(p, r[0], (int) (r[1] - r[0]))) {
        if (e.sequence() >= r[1]) {
          break;
        }
        for (; expect < e.sequence(); expect++) {
          lostOne(p, expect, now);
        }
        expect = e.sequence() + 1;
        accept(e, now);
      }
      for (; expect < r[1]; expect++) {
        lostOne(p, expect, now);
      }
    }
    return any;
  }

  private void lostOne(int p, long seq, long now) {
    metrics.lost.increment();
    metrics.error("log dropped undelivered event " + seq + " of partition " + p, now);
    tracker.skip(p, seq);
  }

  private void accept(LogEntry e, long now) throws InterruptedException {
    Event raw = e.event();
    Event mapped;
    try {
      mapped = config.filter().test(raw) ? config.mapper().apply(raw) : null;
    } catch (RuntimeException ex) {
      Item bad = new Item(e.partition(), e.sequence(), raw, tracker, now);
      bad.lastReason = Excerpts.clean(redactor, "filter or mapping failed: " + ex);
      run.writeDeadLetters(
          List.of(DeadLetterStep.letter(config, bad, "mapping_failed", "permanent", now)));
      metrics.deadLettered.increment();
      tracker.skip(e.partition(), e.sequence());
      return;
    }
    if (mapped == null) {
      metrics.filtered.increment();
      tracker.skip(e.partition(), e.sequence());
      return;
    }
    Item item = new Item(e.partition(), e.sequence(), mapped, tracker, now);
    if (run.expired(item, now)) {
      run.writeDeadLetters(List.of(DeadLetterStep.letter(config, item, "expired", "none", now)));
      metrics.deadLettered.increment();
      metrics.expired.increment();
      tracker.skip(e.partition(), e.sequence());
      return;
    }
    outstanding.acquire();
    tracker.track(e.partition(), e.sequence());
    offer(item, now);
  }

  private void offer(Item item, long now) throws InterruptedException {
    if (ordering != null && ordering.park(item)) {
      return;
    }
    String key = "";
    if (config.batchKey() != null) {
      try {
        key = String.valueOf(config.batchKey().apply(item.event));
      } catch (RuntimeException ignored) {
        key = "null";
      }
    }
    int lane =
        ordering == null || item.user == null
            ? 0
            : Math.floorMod(item.user.hashCode(), lanes.size());
    for (Batch b : batcher.add(item, lane + "\u0000" + key, lane, now)) {
      dispatch(b);
    }
  }

  private void dispatch(Batch batch) throws InterruptedException {
    while (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
      if (!running) {
        return;
      }
    }
    lanes.get(batch.lane()).add(batch);
  }

  // ---- workers ----

  private void workLoop(BlockingQueue<Batch> lane) {
    while (running) {
      Batch b;
      try {
        b = lane.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (b == null) {
        continue;
      }
      try {
        List<Item> send = b.items();
        if (ordering != null) {
          send = send.stream().filter(i -> !ordering.park(i)).toList();
        }
        if (!send.isEmpty()) {
          chain.attempt(send);
        }
      } catch (RuntimeException e) {
        LOG.error("delivery worker of {} failed on a batch", config.id(), e);
        metrics.error(Excerpts.clean(redactor, String.valueOf(e.getMessage())), clock.millis());
      } finally {
        inFlight.release();
      }
      requestPersist();
    }
  }

  /**
   * Asks the cursor thread to save the cursors now (group commit: one fsync covers every batch
   * acked meanwhile).
   */
  private void requestPersist() {
    synchronized (persistLock) {
      persistDirty = true;
      persistLock.notifyAll();
    }
  }

  private void persistLoop() {
    while (running) {
      synchronized (persistLock) {
        try {
          if (!persistDirty) {
            persistLock.wait(PERSIST_EVERY_MILLIS);
          }
        } catch (InterruptedException e) {
          return;
        }
        persistDirty = false;
      }
      persistCursors();
    }
  }

  void persistCursors() {
    if (halted) {
      return;
    }
    try {
      cursorStore.save(tracker.states());
    } catch (UncheckedIOException e) {
      if (halted || e.getCause() instanceof java.nio.channels.ClosedByInterruptException) {
        return; // interrupted by stop or halt: the previous file stays intact and stop saves again
      }
      LOG.error("destination {}: cannot save cursors", config.id(), e);
      metrics.error("cannot save cursors: " + e.getMessage(), clock.millis());
    }
  }

  /** What the delivery steps may do to this runner's state; nothing else of it is theirs. */
  private final class Run implements DeliveryRun {
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
    public void resolve(Item it, boolean delivered) {
      it.origin.resolved(it, delivered);
      outstanding.release();
      if (ordering != null) {
        List<Item> released = ordering.resolved(it);
        if (!released.isEmpty()) {
          ready.addAll(released);
          signal();
        }
      }
    }

    @Override
    public void retryLater(Item it, long delayMillis, long now) {
      it.dueAt = now + Math.max(0, delayMillis);
      metrics.retries.increment();
      if (ordering != null && !ordering.retrying(it)) {
        return;
      }
      metrics.retrying.incrementAndGet();
      retries.add(it);
      signal();
    }

    @Override
    public boolean expired(Item it, long now) {
      return it.origin == tracker && now - it.receivedAt > config.retention().toMillis();
    }

    @Override
    public void writeDeadLetters(List<DeadLetter> letters) {
      deadLetters.append(config.id(), letters);
    }

    @Override
    public void holdDestination(Duration duration) {
      limiter.hold(duration);
    }

    @Override
    public boolean forgotten(Item item) {
      return forgetting.forgets(item);
    }
  }
}
