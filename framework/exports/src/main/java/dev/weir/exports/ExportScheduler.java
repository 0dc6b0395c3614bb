package dev.weir.exports;

import dev.weir.realtime.ChunkInfo;
import dev.weir.realtime.RealtimeStore;
import dev.weir.realtime.StoreFileSystem;
import dev.weir.sdk.BatchDestination;
import dev.weir.sdk.ExportResult;
import dev.weir.sdk.Ids;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports every sealed chunk of a {@link RealtimeStore} once to each batch destination, in order,
 * and drives the store's batch handoff from their progress.
 *
 * <ul>
 *   <li>Each destination has a durable checkpoint (a file under the state directory) of the chunks
 *       it committed; a chunk is checkpointed only after {@link BatchDestination#export} returned.
 *       A crash in between re-exports the chunk, which destinations make idempotent by chunk id.
 *   <li>A failed export is retried with exponential backoff; later chunks wait (order is kept).
 *   <li>Unexported chunks are pinned with a registered reader, so {@link RealtimeStore#cleanup()}
 *       never deletes them; when every destination has exported every chunk of the current batch
 *       and the batch period has passed, {@link RealtimeStore#advanceBatch()} is called.
 *   <li>{@link #backfill} re-exports the chunks overlapping a time range.
 * </ul>
 *
 * <p>Thread-safe. Lifecycle: {@link Builder#build()} registers the pins; {@link #start(Duration)}
 * exports in the background (one thread per destination), or call {@link #runOnce()}; {@link
 * #close()} stops the threads and unpins, but neither starts nor stops the destinations (the host
 * owns their lifecycle).
 */
public final class ExportScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExportScheduler.class);

  private final RealtimeStore store;

  /** The exporters, replaced whole (copy on write) under this object's lock. */
  private volatile Map<String, DestinationExporter> exporters;

  private final Map<String, java.util.concurrent.ScheduledFuture<?>> scheduled =
      new java.util.HashMap<>();
  private final Path stateDir;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private Duration pollInterval;
  private final ExportListener listener;
  private final Clock clock;
  private final Duration batchPeriod;
  private final Path batchStartFile;
  private final StoreFileSystem fileSystem;
  private java.util.concurrent.ScheduledThreadPoolExecutor threads;
  private long batchStartedAt;

  private ExportScheduler(Builder b) throws IOException {
    this.store = Objects.requireNonNull(b.store, "store");
    this.listener = b.listener;
    this.clock = b.clock;
    this.batchPeriod = b.batchPeriod;
    this.fileSystem = b.fileSystem;
    this.stateDir = b.stateDir;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    b.fileSystem.createDirectories(b.stateDir);
    this.batchStartFile = b.stateDir.resolve("batch-started-at");
    List<String> started = StateFiles.lines(batchStartFile);
    if (started.isEmpty()) {
      batchStartedAt = clock.millis();
      StateFiles.writeAtomically(fileSystem, batchStartFile, Long.toString(batchStartedAt));
    } else {
      batchStartedAt = Long.parseLong(started.get(0).trim());
    }
    Map<String, DestinationExporter> m = new LinkedHashMap<>();
    for (Map.Entry<String, BatchDestination> d : b.destinations.entrySet()) {
      m.put(
          d.getKey(),
          exporter(d.getKey(), d.getValue(), b.sources.getOrDefault(d.getKey(), s -> true)));
    }
    this.exporters = m;
  }

  private DestinationExporter exporter(
      String id, BatchDestination d, java.util.function.Predicate<String> sources)
      throws IOException {
    Checkpoint cp = new Checkpoint(fileSystem, Ids.file(stateDir, id, ".exported"));
    return new DestinationExporter(
        id, d, sources, cp, store, listener, clock, initialBackoff, maxBackoff);
  }

  /** A builder for a scheduler over {@code store}, keeping checkpoints under {@code stateDir}. */
  public static Builder builder(RealtimeStore store, Path stateDir) {
    return new Builder(store, stateDir);
  }

  /**
   * Starts exporting in the background: every destination checks for new chunks every {@code
   * pollInterval}.
   */
  public synchronized void start(Duration pollInterval) {
    if (threads != null) {
      return;
    }
    this.pollInterval = pollInterval;
    threads =
        new java.util.concurrent.ScheduledThreadPoolExecutor(
            Math.max(1, exporters.size()),
            r -> {
              Thread t = new Thread(r, "weir-export");
              t.setDaemon(true);
              return t;
            });
    exporters.values().forEach(this::schedule);
    // also without batch destinations: the batch advances every period (retention)
    threads.scheduleWithFixedDelay(
        this::advanceQuietly, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void schedule(DestinationExporter e) {
    if (threads == null) {
      return;
    }
    threads.setCorePoolSize(Math.max(1, exporters.size()));
    scheduled.put(
        e.name,
        threads.scheduleWithFixedDelay(
            () -> tick(e), 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS));
  }

  /**
   * Adds (or, under an id already exported to, replaces) a started batch destination while running:
   * it receives the rows of {@code sources} from the chunks its checkpoint (kept under its id) does
   * not list, on the next pass. A replaced one's running export finishes first and it is not called
   * again; its checkpoint carries over, and the new one's pin is registered before the old one's is
   * removed, so no unexported chunk is unpinned in between. The caller owns both destinations'
   * lifecycles.
   *
   * @throws IOException when the checkpoint cannot be read; a destination already running under the
   *     id then keeps running as before
   */
  public void putDestination(String id, BatchDestination destination, java.util.Set<String> sources)
      throws IOException {
    Ids.require("destination id", id);
    Objects.requireNonNull(destination, "destination");
    java.util.Set<String> copy = java.util.Set.copyOf(sources);
    DestinationExporter old;
    synchronized (this) {
      old = exporters.get(id);
      cancel(id);
      if (old != null) {
        old.retire();
      }
      DestinationExporter e;
      try {
        e = exporter(id, destination, copy::contains);
      } catch (IOException | RuntimeException ex) {
        if (old != null) { // its checkpoint is unreadable: the running one stays as it was
          old.reinstate();
          schedule(old);
        }
        throw ex;
      }
      Map<String, DestinationExporter> m = new LinkedHashMap<>(exporters);
      m.put(id, e);
      exporters = m;
      schedule(e);
    }
    if (old != null) {
      old.close(); // the new exporter's pin replaced it under the same reader name: nothing
      // unpinned
    }
  }

  /**
   * Removes a batch destination while running: its running export finishes, it is not called again,
   * its chunks are no longer pinned for it and the batch handoff no longer waits for it. Its
   * checkpoint file stays (a destination added again under the id resumes from it). Unknown ids are
   * ignored.
   */
  public void removeDestination(String id) {
    DestinationExporter old;
    synchronized (this) {
      old = exporters.get(id);
      if (old == null) {
        return;
      }
      cancel(id);
      Map<String, DestinationExporter> m = new LinkedHashMap<>(exporters);
      m.remove(id);
      exporters = m;
    }
    old.retire();
    old.close();
  }

  private void cancel(String id) {
    java.util.concurrent.ScheduledFuture<?> f = scheduled.remove(id);
    if (f != null) {
      f.cancel(false);
    }
  }

  private void advanceQuietly() {
    try {
      maybeAdvanceBatch();
    } catch (RuntimeException ex) { // keep the schedule alive
      LOG.error("batch handoff check failed", ex);
    }
  }

  private void tick(DestinationExporter e) {
    try {
      e.exportPending();
      maybeAdvanceBatch();
    } catch (RuntimeException | LinkageError | AssertionError ex) { // keep the schedule alive
      LOG.error("export pass for {} failed", e.name, ex);
    }
  }

  /**
   * One synchronous pass: each destination exports its pending chunks (stopping at a failure or a
   * backoff still running), then the batch handoff is checked. Returns the number of chunks
   * exported per destination.
   */
  public Map<String, Integer> runOnce() {
    Map<String, Integer> done = new LinkedHashMap<>();
    for (DestinationExporter e : exporters.values()) {
      done.put(e.name, e.exportPending());
    }
    maybeAdvanceBatch();
    return done;
  }

  /**
   * Advances the store's batch when the batch period has passed and every destination has exported
   * every chunk labelled with the current batch or an older one. Returns whether it advanced.
   */
  public synchronized boolean maybeAdvanceBatch() {
    long now = clock.millis();
    if (now - batchStartedAt < batchPeriod.toMillis()) {
      return false;
    }
    long current = store.currentBatch();
    for (ChunkInfo c : store.chunks()) {
      if (c.batch() > current) {
        continue;
      }
      for (DestinationExporter e : exporters.values()) {
        if (!e.checkpoint.isExported(c.id())) {
          return false;
        }
      }
    }
    try {
      store.advanceBatch();
      batchStartedAt = now;
      StateFiles.writeAtomically(fileSystem, batchStartFile, Long.toString(now));
    } catch (IOException e) {
      LOG.warn("batch handoff failed, will retry: {}", e.toString());
      return false;
    }
    LOG.info("batch {} exported by every batch destination: handed off", current);
    listener.batchAdvanced(current);
    return true;
  }

  /**
   * Re-exports (backfills) every chunk still in the store whose events overlap {@code [fromTime,
   * toTime)} to {@code destination}, in order, reporting progress after each chunk. Whole chunks
   * are exported (a chunk is the unit destinations replace idempotently), so rows just outside the
   * range may be rewritten too. A chunk that fails is retried with backoff up to {@code
   * maxAttempts} times, then the backfill throws.
   *
   * @throws IllegalArgumentException when the destination is unknown or the range is empty
   */
  public BackfillReport backfill(
      String destination, long fromTime, long toTime, ExportProgress progress) throws Exception {
    DestinationExporter e = exporters.get(destination);
    if (e == null) {
      throw new IllegalArgumentException(
          "unknown batch destination '" + destination + "'; known: " + exporters.keySet());
    }
    if (toTime <= fromTime) {
      throw new IllegalArgumentException("empty range: --to must be after --from");
    }
    List<ChunkInfo> chunks = new ArrayList<>();
    for (ChunkInfo c : DestinationExporter.ordered(store.chunks())) {
      if (c.maxTime() >= fromTime && c.minTime() < toTime) {
        chunks.add(c);
      }
    }
    long loaded = 0;
    long rejected = 0;
    int done = 0;
    progress.progress(0, chunks.size(), 0);
    for (ChunkInfo c : chunks) {
      ExportResult r = exportWithRetries(e, c);
      loaded += r.loaded();
      rejected += r.rejected().size();
      progress.progress(++done, chunks.size(), loaded);
    }
    return new BackfillReport(destination, done, loaded, rejected);
  }

  private ExportResult exportWithRetries(DestinationExporter e, ChunkInfo c) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return e.exportChunk(c);
      } catch (Exception ex) {
        if (attempt >= BACKFILL_ATTEMPTS) {
          throw ex;
        }
        Duration wait = e.backoff(attempt);
        listener.failed(e.name, c.id(), attempt, ex, wait);
        TimeUnit.MILLISECONDS.sleep(
            wait.toMillis()); // backoff between attempts, not test synchronisation
      }
    }
  }

  private static final int BACKFILL_ATTEMPTS = 5;

  /** The chunk ids {@code destination} has durably exported (of those the store still holds). */
  public java.util.Set<String> exportedChunks(String destination) {
    DestinationExporter e = exporters.get(destination);
    if (e == null) {
      throw new IllegalArgumentException("unknown batch destination '" + destination + "'");
    }
    return e.checkpoint.exported();
  }

  /** The last export error of {@code destination}, or null when its last attempt succeeded. */
  public String lastError(String destination) {
    DestinationExporter e = exporters.get(destination);
    return e == null ? null : e.lastError();
  }

  public List<String> destinations() {
    return List.copyOf(exporters.keySet());
  }

  /** Stops the background threads (waiting for a running export to finish) and removes the pins. */
  @Override
  public void close() throws InterruptedException {
    ScheduledExecutorService t;
    Map<String, DestinationExporter> all;
    synchronized (this) {
      t = threads;
      threads = null;
      scheduled.clear();
      all = exporters;
    }
    if (t != null) {
      t.shutdown();
      if (!t.awaitTermination(30, TimeUnit.SECONDS)) {
        t.shutdownNow();
      }
    }
    all.values().forEach(DestinationExporter::close);
  }

  /** Builds an {@link ExportScheduler}; not thread-safe. */
  public static final class Builder {
    private final RealtimeStore store;
    private final Path stateDir;
    private final Map<String, BatchDestination> destinations = new LinkedHashMap<>();
    private ExportListener listener = ExportListener.NONE;
    private Clock clock = Clock.systemUTC();
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofMinutes(5);
    private Duration batchPeriod = Duration.ofDays(1);
    private StoreFileSystem fileSystem = StoreFileSystem.DEFAULT;

    private Builder(RealtimeStore store, Path stateDir) {
      this.store = store;
      this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
    }

    /**
     * Adds a started batch destination under its connection id (also its checkpoint's file name).
     */
    public Builder destination(String id, BatchDestination destination) {
      Ids.require("destination id", id);
      destinations.put(id, Objects.requireNonNull(destination, "destination"));
      return this;
    }

    /**
     * A destination that receives only the rows whose {@code source_id} is in {@code sources} (the
     * sources routed to it; a quarantine copy has the source id {@code <source>:quarantine} and is
     * exported only where that is routed).
     */
    public Builder destination(
        String id, BatchDestination destination, java.util.Set<String> sources) {
      destination(id, destination);
      java.util.Set<String> copy = java.util.Set.copyOf(sources);
      this.sources.put(id, copy::contains);
      return this;
    }

    private final Map<String, java.util.function.Predicate<String>> sources = new LinkedHashMap<>();

    public Builder listener(ExportListener value) {
      this.listener = Objects.requireNonNull(value, "listener");
      return this;
    }

    /**
     * The file-system seam checkpoints and the batch start are written through; the real file
     * system by default.
     */
    public Builder fileSystem(StoreFileSystem value) {
      this.fileSystem = Objects.requireNonNull(value, "fileSystem");
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Backoff after a failed export: {@code initial}, doubling per attempt, at most {@code max}.
     */
    public Builder backoff(Duration initial, Duration max) {
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /**
     * How long a store batch lasts at least (default a day); zero hands off as soon as all is
     * exported.
     */
    public Builder batchPeriod(Duration value) {
      this.batchPeriod = Objects.requireNonNull(value, "batchPeriod");
      return this;
    }

    public ExportScheduler build() throws IOException {
      return new ExportScheduler(this);
    }
  }
}
