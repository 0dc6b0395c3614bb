package dev.weir.delivery;

import dev.weir.realtime.StoreFileSystem;
import dev.weir.sdk.Event;
import dev.weir.sdk.StreamingDestination;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Streams the event log to destinations, each with its own durable per-partition cursors, workers
 * and limits, so that one slow or broken destination never holds up the others. Delivery is at
 * least once: cursors are saved (fsynced) after each acknowledged batch and delivery resumes from
 * them after a restart.
 *
 * <p>Lifecycle: build, {@link #addDestination} any number of times, {@link #start()}, then {@link
 * #stop()} once. All methods are thread-safe. The engine never calls {@code start}/{@code stop} on
 * destinations: the host does, and may stop a destination once {@link #stop()} (or {@link
 * #removeDestination}) has returned.
 */
public final class DeliveryEngine implements AutoCloseable {
  private final DeliveryLog log;
  private final Path stateDir;
  private final StoreFileSystem fileSystem;
  private final MeterRegistry registry;
  private final Clock clock;
  private final java.util.function.LongSupplier nanoClock;
  private final Duration stopGrace;
  private final DeadLetterStore deadLetters;
  private final Forgetting forgetting = new Forgetting();
  private final UserDeletionSender userDeletions;
  private final Map<String, DestinationRunner> runners = new LinkedHashMap<>();
  private final Set<JobTracker> jobs = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private boolean started;

  private DeliveryEngine(Builder b) {
    this.log = Objects.requireNonNull(b.log, "log");
    this.stateDir = Objects.requireNonNull(b.stateDir, "stateDir");
    this.registry = b.registry == null ? new SimpleMeterRegistry() : b.registry;
    this.clock = b.clock;
    this.nanoClock = b.nanoClock;
    this.stopGrace = b.stopGrace;
    this.fileSystem = b.fileSystem;
    this.deadLetters = new DeadLetterStore(fileSystem, stateDir.resolve("dead-letters"));
    this.userDeletions = new UserDeletionSender(this::runnerOrNull, clock);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Adds a destination; when the engine is already running, it starts delivering at once from its
   * cursor.
   */
  public synchronized void addDestination(
      DestinationConfig config, StreamingDestination destination) {
    Objects.requireNonNull(destination, "destination");
    if (runners.containsKey(config.id())) {
      throw new IllegalArgumentException("destination '" + config.id() + "' is already added");
    }
    DestinationRunner r =
        new DestinationRunner(
            config,
            destination,
            log,
            new CursorStore(fileSystem, stateDir.resolve("cursors"), config.id()),
            deadLetters,
            new DestinationMetrics(config.id(), registry),
            clock,
            nanoClock,
            forgetting);
    runners.put(config.id(), r);
    if (started) {
      r.start();
    }
  }

  /**
   * Stops delivering to a destination and removes its meters; its cursors and dead letters stay on
   * disk for when it is added again.
   */
  public void removeDestination(String id) {
    DestinationRunner r;
    synchronized (this) {
      r = runners.remove(id);
    }
    if (r != null) {
      r.remove(stopGrace);
    }
  }

  public synchronized void start() {
    if (started) {
      throw new IllegalStateException("already started");
    }
    started = true;
    runners.values().forEach(DestinationRunner::start);
  }

  /**
   * Stops every destination: waits up to the stop grace for calls in flight, saves the cursors,
   * cancels replays and redeliveries still running.
   */
  public void stop() {
    List<DestinationRunner> all;
    synchronized (this) {
      all = new ArrayList<>(runners.values());
    }
    userDeletions.stop();
    all.forEach(r -> r.stop(stopGrace));
    jobs.forEach(JobTracker::cancel);
  }

  @Override
  public void close() {
    stop();
  }

  /** Crash simulation for tests: threads stop where they are and nothing more is saved. */
  void halt() {
    List<DestinationRunner> all;
    synchronized (this) {
      all = new ArrayList<>(runners.values());
    }
    all.forEach(DestinationRunner::halt);
  }

  /**
   * Wakes the readers: call after appending to the log for the lowest latency (they also poll every
   * 20 ms).
   */
  public void signal() {
    List<DestinationRunner> all;
    synchronized (this) {
      all = new ArrayList<>(runners.values());
    }
    all.forEach(DestinationRunner::signal);
  }

  public synchronized List<String> destinations() {
    return List.copyOf(runners.keySet());
  }

  /**
   * Stops sending to {@code id}: calls in flight finish, new events accumulate against its cursor.
   */
  public void pause(String id) {
    runner(id).pause();
  }

  public void resume(String id) {
    runner(id).resume();
  }

  /**
   * The lowest cursor of {@code partition} over all destinations: the store must keep every entry
   * at or above it (up to its maximum retention) for delivery to lose nothing.
   */
  public synchronized long retentionFloor(int partition) {
    long min = log.nextSequence(partition);
    for (DestinationRunner r : runners.values()) {
      min = Math.min(min, r.cursor(partition));
    }
    return min;
  }

  /** The durable cursor position (next sequence to deliver) of {@code id} in {@code partition}. */
  public long cursor(String id, int partition) {
    return runner(id).cursor(partition);
  }

  public DestinationStatus status(String id) {
    DestinationRunner r = runner(id);
    DestinationMetrics m = r.metrics;
    long now = clock.millis();
    return new DestinationStatus(
        id,
        r.paused() ? "paused" : r.running() ? "running" : "stopped",
        (long) m.delivered.count(),
        m.retrying.get(),
        (long) m.deadLettered.count(),
        (long) m.expired.count(),
        (long) m.lost.count(),
        (long) m.filtered.count(),
        m.eventsPerSecond(now),
        r.lagEvents(),
        r.lagSeconds(),
        m.latencyPercentile(0.5),
        m.latencyPercentile(0.99),
        r.requestRateLimit(),
        m.lastError(),
        m.lastErrorAt());
  }

  /**
   * Applies a user deletion to what the engine holds, for every destination, after the log (store)
   * has deleted the user's events: events {@code match} selects that were read before this call
   * (read ahead, batched, waiting for a retry or a rate limit) are not sent, and such dead letters
   * are removed (their files rewritten atomically). Events appended after this call are delivered
   * as usual. Returns the dead letters removed per destination (every destination that has a
   * dead-letter file, added or not). Thread-safe; the rule is held in memory until the engine stops
   * (a restart reads only what the store kept).
   */
  public Map<String, Integer> forget(Predicate<Event> match) {
    Objects.requireNonNull(match, "match");
    long[] before = new long[log.partitionCount()];
    for (int p = 0; p < before.length; p++) {
      before[p] = log.nextSequence(p);
    }
    forgetting.add(match, before);
    Map<String, Integer> removed = new LinkedHashMap<>();
    for (String id : deadLetters.destinations()) {
      removed.put(id, deadLetters.removeIf(id, d -> match.test(d.event())));
    }
    return removed;
  }

  /** Whether destination {@code id} deletes users ({@link StreamingDestination#deletesUsers()}). */
  public boolean deletesUsers(String id) {
    return runner(id).destination().deletesUsers();
  }

  /**
   * Sends a user deletion to destination {@code id} in the background, retried with the
   * destination's backoff until its {@code max_attempts} or {@code max_retry_age_ms}; {@code
   * listener} hears of every attempt. Attempts not yet made when the engine stops are dropped: the
   * caller keeps the deletion pending and submits it again after a restart.
   */
  public void deleteUser(String id, dev.weir.sdk.UserDeletion request, DeletionListener listener) {
    runner(id);
    userDeletions.submit(id, Objects.requireNonNull(request), Objects.requireNonNull(listener));
  }

  /** How many times a user deletion was put off by a destination's pause, hold or rate limit. */
  long userDeletionsHeld() {
    return userDeletions.held();
  }

  /** What became of a user deletion at one destination. */
  @FunctionalInterface
  public interface DeletionListener {
    /**
     * Called on the engine's deletion thread after each attempt: {@code finished} false means
     * another attempt follows ({@code outcome} is the retry); finished with a delivered outcome
     * means done, with a rejected one that the engine gave up ({@code outcome.reason()} says why).
     */
    void attempted(
        String destinationId, int attempts, dev.weir.sdk.Outcome outcome, boolean finished);
  }

  /** The dead letters of {@code id}, oldest first; {@code reason} null lists all reasons. */
  public List<DeadLetter> deadLetters(String id, String reason) {
    runner(id); // an unknown destination has no dead letters: 404, never a file lookup
    return deadLetters.list(id, reason);
  }

  /**
   * Sends the dead letters of {@code id} that match {@code filter} again. Each is removed from the
   * dead-letter store once the job completes (those that fail again are dead-lettered anew); a
   * cancelled job removes none.
   */
  public CompletableFuture<JobResult> redeliver(
      String id, Predicate<DeadLetter> filter, ProgressListener progress) {
    DestinationRunner r = runner(id);
    List<DeadLetter> selected = deadLetters.list(id, null).stream().filter(filter).toList();
    JobTracker job = new JobTracker(progress);
    jobs.add(job);
    job.total(selected.size());
    Set<String> ids = new HashSet<>();
    selected.forEach(d -> ids.add(d.id()));
    // the caller's future completes only after the redelivered letters are gone: a dependent
    // registered on job.result could run after a waiting get() had already returned
    CompletableFuture<JobResult> done =
        job.result.thenApply(
            res -> {
              jobs.remove(job);
              if (!res.cancelled()) {
                deadLetters.remove(id, ids);
              }
              return res;
            });
    startJob(
        "redeliver",
        () -> {
          long now = clock.millis();
          for (DeadLetter d : selected) {
            job.submitted();
            if (!r.submit(new Item(d.partition(), d.sequence(), d.event(), job, now))) {
              job.cancel();
              return;
            }
          }
          job.sealed();
        },
        job);
    return done;
  }

  /**
   * Sends a range of the log to {@code id} again (after its filter and mapping), without touching
   * its cursors. Progress is reported as events resolve.
   */
  public CompletableFuture<JobResult> replay(
      String id, ReplayRange range, ProgressListener progress) {
    DestinationRunner r = runner(id);
    JobTracker job = new JobTracker(progress);
    jobs.add(job);
    job.result.thenAccept(res -> jobs.remove(job));
    startJob(
        "replay",
        () -> {
          job.total(scan(r.config, range, null, null));
          scan(r.config, range, job, r);
          job.sealed();
        },
        job);
    return job.result;
  }

  private long scan(
      DestinationConfig config, ReplayRange range, JobTracker job, DestinationRunner r)
      throws InterruptedException {
    long count = 0;
    int fromP = range.byTime() ? 0 : range.partition();
    int toP = range.byTime() ? log.partitionCount() : range.partition() + 1;
    for (int p = fromP; p < toP; p++) {
      long seq =
          range.byTime()
              ? log.oldestSequence(p)
              : Math.max(range.fromSequence(), log.oldestSequence(p));
      long end =
          range.byTime() ? log.nextSequence(p) : Math.min(range.toSequence(), log.nextSequence(p));
      while (seq < end) {
        List<LogEntry> entries = log.read(p, seq, (int) Math.min(1000, end - seq));
        if (entries.isEmpty()) {
          break;
        }
        for (LogEntry e : entries) {
          seq = e.sequence() + 1;
          if (e.sequence() >= end || !inTime(range, e.event())) {
            continue;
          }
          Event mapped = config.filter().test(e.event()) ? config.mapper().apply(e.event()) : null;
          if (mapped == null) {
            continue;
          }
          count++;
          if (job != null) {
            job.submitted();
            if (!r.submit(new Item(p, e.sequence(), mapped, job, clock.millis()))) {
              job.cancel();
              return count;
            }
          }
        }
      }
    }
    return count;
  }

  private static boolean inTime(ReplayRange range, Event e) {
    if (!range.byTime()) {
      return true;
    }
    Long t = e.uploadTime();
    return t != null && t >= range.from().toEpochMilli() && t < range.to().toEpochMilli();
  }

  private interface JobBody {
    void run() throws Exception;
  }

  private void startJob(String kind, JobBody body, JobTracker job) {
    Thread t =
        new Thread(
            () -> {
              try {
                body.run();
              } catch (Exception e) {
                job.result.completeExceptionally(e);
              }
            },
            "weir-delivery-" + kind);
    t.setDaemon(true);
    t.start();
  }

  private synchronized DestinationRunner runnerOrNull(String id) {
    return runners.get(id);
  }

  private synchronized DestinationRunner runner(String id) {
    DestinationRunner r = runners.get(id);
    if (r == null) {
      throw new NoSuchElementException("no destination '" + id + "'");
    }
    return r;
  }

  /** Builds a {@link DeliveryEngine}; not thread-safe. */
  public static final class Builder {
    private DeliveryLog log;
    private Path stateDir;
    private StoreFileSystem fileSystem = StoreFileSystem.DEFAULT;
    private MeterRegistry registry;
    private Clock clock = Clock.systemUTC();
    private java.util.function.LongSupplier nanoClock = System::nanoTime;
    private Duration stopGrace = Duration.ofSeconds(10);

    private Builder() {}

    /** The log to deliver from (required). */
    public Builder log(DeliveryLog log) {
      this.log = log;
      return this;
    }

    /**
     * Where cursors ({@code cursors/}) and dead letters ({@code dead-letters/}) are kept
     * (required).
     */
    public Builder stateDir(Path dir) {
      this.stateDir = dir;
      return this;
    }

    /**
     * The file-system seam cursors and dead letters are written through; the real file system by
     * default.
     */
    public Builder fileSystem(StoreFileSystem value) {
      this.fileSystem = Objects.requireNonNull(value, "fileSystem");
      return this;
    }

    /** Where meters are registered; a private simple registry by default. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = registry;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /**
     * The monotonic clock (nanoseconds) destinations' rate limits and holds are measured with;
     * {@link System#nanoTime} by default.
     */
    public Builder nanoClock(java.util.function.LongSupplier nanoClock) {
      this.nanoClock = Objects.requireNonNull(nanoClock);
      return this;
    }

    /**
     * How long {@link #stop()} waits for calls in flight before interrupting them; 10 s by default.
     */
    public Builder stopGrace(Duration grace) {
      this.stopGrace = Objects.requireNonNull(grace);
      return this;
    }

    public DeliveryEngine build() {
      return new DeliveryEngine(this);
    }
  }
}
