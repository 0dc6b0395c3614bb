package dev.weir.exports;

import dev.weir.realtime.AudienceQuery;
import dev.weir.realtime.RealtimeStore;
import dev.weir.sdk.Event;
import dev.weir.sdk.Ids;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps audiences in sync with destinations: on each audience's schedule, computes its members over
 * the real-time store, diffs them against the membership last synced (persisted under the state
 * directory), and appends one {@value #ENTERED} or {@value #EXITED} event per change to the {@link
 * AudienceChangeLog}, from which a delivery engine sends them with its usual retries and dead
 * letters. The membership is saved only after the changes are durably in the log; a crash in
 * between sends the same changes again (audience APIs treat adds and removes as idempotent).
 *
 * <p>Change events carry {@code user_id} = the member (user id, else device id), and {@code
 * event_properties} {@code audience} and {@code destination}; route them with {@link
 * #routedTo(String)}. Thread-safe; {@link #start()} runs syncs in the background until {@link
 * #close()}.
 */
public final class AudienceSync implements AutoCloseable {
  /** The event type of a user entering an audience. */
  public static final String ENTERED = "Audience Entered";

  /** The event type of a user leaving an audience. */
  public static final String EXITED = "Audience Exited";

  static final String SOURCE_ID = "weir-audiences";
  private static final Logger LOG = LoggerFactory.getLogger(AudienceSync.class);

  private final RealtimeStore store;
  private final Path stateDir;
  private final AudienceChangeLog log;
  private final Map<String, AudienceDefinition> audiences;
  private final Clock clock;
  private final Map<String, Status> status = new java.util.concurrent.ConcurrentHashMap<>();
  private ScheduledExecutorService threads;

  /**
   * One audience as last synced.
   *
   * @param audience its name
   * @param destination the destination its changes go to
   * @param members members after the last sync that succeeded, or -1 before the first
   * @param lastSync when that sync ran, or null
   * @param lastError why the latest sync failed, or null when it succeeded
   * @param failures syncs of this audience that failed since it started
   */
  public record Status(
      String audience,
      String destination,
      int members,
      java.time.Instant lastSync,
      String lastError,
      long failures) {}

  private AudienceSync(Builder b) throws IOException {
    this.store = Objects.requireNonNull(b.store, "store");
    this.stateDir = Files.createDirectories(b.stateDir);
    this.log = Objects.requireNonNull(b.log, "log");
    this.audiences = Map.copyOf(b.audiences);
    this.clock = b.clock;
  }

  public static Builder builder(RealtimeStore store, Path stateDir, AudienceChangeLog log) {
    return new Builder(store, stateDir, log);
  }

  /**
   * Change events meant for {@code destinationId}: a delivery engine's routing filter for that
   * destination.
   */
  public static Predicate<Event> routedTo(String destinationId) {
    return e ->
        SOURCE_ID.equals(e.sourceId())
            && destinationId.equals(e.eventProperties().get("destination"));
  }

  /** Every audience, in name order, as last synced. */
  public List<Status> status() {
    List<Status> out = new ArrayList<>();
    for (AudienceDefinition a : new java.util.TreeMap<>(audiences).values()) {
      out.add(
          status.getOrDefault(a.name(), new Status(a.name(), a.destination(), -1, null, null, 0)));
    }
    return out;
  }

  /**
   * Syncs audience {@code name} now.
   *
   * @throws java.util.NoSuchElementException when there is no such audience
   */
  public AudienceDiff sync(String name) throws IOException {
    AudienceDefinition a = audiences.get(name);
    if (a == null) {
      throw new java.util.NoSuchElementException(
          "no audience '" + name + "' (audiences: " + new TreeSet<>(audiences.keySet()) + ")");
    }
    return sync(a);
  }

  /** Syncs every audience now; returns what each sent. */
  public List<AudienceDiff> runOnce() throws IOException {
    List<AudienceDiff> out = new ArrayList<>();
    for (AudienceDefinition a : audiences.values()) {
      out.add(sync(a));
    }
    return out;
  }

  /**
   * Computes one audience, sends the difference, saves the membership. Audiences sync one at a
   * time.
   */
  public synchronized AudienceDiff sync(AudienceDefinition a) throws IOException {
    try {
      AudienceDiff diff = compute(a);
      status.put(
          a.name(),
          new Status(
              a.name(),
              a.destination(),
              diff.size(),
              java.time.Instant.now(clock),
              null,
              failuresOf(a.name())));
      return diff;
    } catch (IOException | RuntimeException e) {
      Status before = status.get(a.name());
      status.put(
          a.name(),
          new Status(
              a.name(),
              a.destination(),
              before == null ? -1 : before.members(),
              before == null ? null : before.lastSync(),
              e.toString(),
              failuresOf(a.name()) + 1));
      throw e;
    }
  }

  private long failuresOf(String name) {
    Status s = status.get(name);
    return s == null ? 0 : s.failures();
  }

  private AudienceDiff compute(AudienceDefinition a) throws IOException {
    long now = clock.millis();
    long from = now - a.window().toMillis();
    Set<String> members =
        new TreeSet<>(
            store.audience(
                new AudienceQuery(a.include().eventType(), a.include().filters(), from, now + 1)));
    if (a.exclude() != null) {
      members.removeAll(
          store.audience(
              new AudienceQuery(a.exclude().eventType(), a.exclude().filters(), from, now + 1)));
    }
    Path file = Ids.file(stateDir, a.name(), ".members");
    Set<String> previous = new TreeSet<>(StateFiles.lines(file));
    List<String> added = members.stream().filter(m -> !previous.contains(m)).toList();
    List<String> removed = previous.stream().filter(m -> !members.contains(m)).toList();
    List<Event> changes = new ArrayList<>(added.size() + removed.size());
    for (String m : added) {
      changes.add(change(a, ENTERED, m, now));
    }
    for (String m : removed) {
      changes.add(change(a, EXITED, m, now));
    }
    log.append(changes);
    if (!changes.isEmpty() || !Files.exists(file)) {
      StateFiles.writeAtomically(file, members.isEmpty() ? "" : String.join("\n", members) + "\n");
    }
    if (!changes.isEmpty()) {
      LOG.info(
          "audience {}: {} members, {} entered, {} left",
          a.name(),
          members.size(),
          added.size(),
          removed.size());
    }
    return new AudienceDiff(a.name(), members.size(), added, removed);
  }

  private static Event change(AudienceDefinition a, String type, String member, long now) {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("audience", a.name());
    props.put("destination", a.destination());
    return Event.builder()
        .eventType(type)
        .userId(member)
        .time(now)
        .uploadTime(now)
        .sourceId(SOURCE_ID)
        .insertId(
            a.name() + ":" + (type.equals(ENTERED) ? "add" : "remove") + ":" + member + ":" + now)
        .eventProperties(props)
        .build();
  }

  /** Syncs each audience on its own schedule in the background, first at once. */
  public synchronized void start() {
    if (threads != null) {
      return;
    }
    threads =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "weir-audience-sync");
              t.setDaemon(true);
              return t;
            });
    for (AudienceDefinition a : audiences.values()) {
      threads.scheduleWithFixedDelay(
          () -> {
            try {
              sync(a);
            } catch (IOException | RuntimeException e) {
              LOG.warn(
                  "audience {} sync failed, retrying on its next schedule: {}",
                  a.name(),
                  e.toString());
            }
          },
          0,
          a.schedule().toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() throws InterruptedException {
    ScheduledExecutorService t;
    synchronized (this) {
      t = threads;
      threads = null;
    }
    if (t != null) {
      t.shutdown();
      t.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  /** Builds an {@link AudienceSync}; not thread-safe. */
  public static final class Builder {
    private final RealtimeStore store;
    private final Path stateDir;
    private final AudienceChangeLog log;
    private final Map<String, AudienceDefinition> audiences = new LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();

    private Builder(RealtimeStore store, Path stateDir, AudienceChangeLog log) {
      this.store = store;
      this.stateDir = stateDir;
      this.log = log;
    }

    public Builder audience(AudienceDefinition a) {
      if (audiences.putIfAbsent(a.name(), a) != null) {
        throw new IllegalArgumentException("audience '" + a.name() + "' is defined twice");
      }
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    public AudienceSync build() throws IOException {
      return new AudienceSync(this);
    }
  }
}
