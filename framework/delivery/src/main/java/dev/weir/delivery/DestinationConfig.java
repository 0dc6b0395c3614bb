package dev.weir.delivery;

import dev.weir.sdk.Event;
import dev.weir.sdk.Ids;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * How the engine delivers to one destination: routing filter and mapping, batching, retries, rate
 * limits, ordering and retention. Immutable and thread-safe; build with {@link #builder(String)} or
 * read the snake_case workspace form with {@link #fromConfig(String, Map)}.
 */
public final class DestinationConfig {

  private final String id;
  private final Predicate<Event> filter;
  private final UnaryOperator<Event> mapper;
  private final int maxBatchEvents;
  private final long maxBatchBytes;
  private final Duration maxBatchDelay;
  private final Function<Event, String> batchKey;
  private final int workers;
  private final int maxInFlightBatches;
  private final int maxOutstandingEvents;
  private final int maxAttempts;
  private final Duration maxRetryAge;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration retention;
  private final double requestsPerSecond;
  private final double eventsPerSecond;
  private final boolean orderedPerUser;
  private final List<String> secrets;

  private DestinationConfig(Builder b) {
    this.id = b.id;
    this.filter = b.filter;
    this.mapper = b.mapper;
    this.maxBatchEvents = positive("max_batch_events", b.maxBatchEvents);
    this.maxBatchBytes = positive("max_batch_bytes", b.maxBatchBytes);
    this.maxBatchDelay = Objects.requireNonNull(b.maxBatchDelay, "maxBatchDelay");
    this.batchKey = b.batchKey;
    this.workers = positive("workers", b.workers);
    this.maxInFlightBatches = positive("max_in_flight_batches", b.maxInFlightBatches);
    this.maxOutstandingEvents =
        b.maxOutstandingEvents > 0
            ? b.maxOutstandingEvents
            : Math.max(maxBatchEvents * maxInFlightBatches * 4, 1000);
    this.maxAttempts = positive("max_attempts", b.maxAttempts);
    this.maxRetryAge = Objects.requireNonNull(b.maxRetryAge, "maxRetryAge");
    this.initialBackoff = Objects.requireNonNull(b.initialBackoff, "initialBackoff");
    this.maxBackoff = Objects.requireNonNull(b.maxBackoff, "maxBackoff");
    this.retention = Objects.requireNonNull(b.retention, "retention");
    this.requestsPerSecond = b.requestsPerSecond;
    this.eventsPerSecond = b.eventsPerSecond;
    this.orderedPerUser = b.orderedPerUser;
    this.secrets = List.copyOf(b.secrets);
  }

  public static Builder builder(String id) {
    return new Builder(id);
  }

  /**
   * Reads a destination's {@code delivery} config section (snake_case keys, all optional): {@code
   * max_batch_events}, {@code max_batch_bytes}, {@code max_batch_delay_ms}, {@code batch_key}
   * ({@code user_id}, {@code device_id}, or {@code groups.<type>}), {@code workers}, {@code
   * max_in_flight_batches}, {@code max_outstanding_events}, {@code max_attempts}, {@code
   * max_retry_age_ms}, {@code initial_backoff_ms}, {@code max_backoff_ms}, {@code retention_ms},
   * {@code requests_per_second}, {@code events_per_second}, {@code ordered_per_user}, {@code
   * filter} (see {@link RoutingFilter#fromConfig}).
   *
   * @throws IllegalArgumentException naming the key, when a value has the wrong type or range
   */
  public static DestinationConfig fromConfig(String id, Map<String, ?> c) {
    Builder b = builder(id);
    if (c == null) {
      return b.build();
    }
    for (Map.Entry<String, ?> e : c.entrySet()) {
      Object v = e.getValue();
      switch (e.getKey()) {
        case "max_batch_events" -> b.maxBatchEvents((int) num(e.getKey(), v));
        case "max_batch_bytes" -> b.maxBatchBytes(num(e.getKey(), v));
        case "max_batch_delay_ms" -> b.maxBatchDelay(Duration.ofMillis(num(e.getKey(), v)));
        case "batch_key" -> b.batchKey(batchKeyFor(String.valueOf(v)));
        case "workers" -> b.workers((int) num(e.getKey(), v));
        case "max_in_flight_batches" -> b.maxInFlightBatches((int) num(e.getKey(), v));
        case "max_outstanding_events" -> b.maxOutstandingEvents((int) num(e.getKey(), v));
        case "max_attempts" -> b.maxAttempts((int) num(e.getKey(), v));
        case "max_retry_age_ms" -> b.maxRetryAge(Duration.ofMillis(num(e.getKey(), v)));
        case "initial_backoff_ms" -> b.initialBackoff(Duration.ofMillis(num(e.getKey(), v)));
        case "max_backoff_ms" -> b.maxBackoff(Duration.ofMillis(num(e.getKey(), v)));
        case "retention_ms" -> b.retention(Duration.ofMillis(num(e.getKey(), v)));
        case "requests_per_second" -> b.requestsPerSecond(dbl(e.getKey(), v));
        case "events_per_second" -> b.eventsPerSecond(dbl(e.getKey(), v));
        case "ordered_per_user" -> {
          if (!(v instanceof Boolean flag)) {
            throw new IllegalArgumentException(
                "delivery setting 'ordered_per_user' must be a boolean");
          }
          b.orderedPerUser(flag);
        }
        case "filter" -> {
          if (!(v instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("delivery setting 'filter' must be an object");
          }
          @SuppressWarnings("unchecked")
          Map<String, ?> fm = (Map<String, ?>) m;
          b.filter(RoutingFilter.fromConfig(fm));
        }
        default ->
            throw new IllegalArgumentException("unknown delivery setting '" + e.getKey() + "'");
      }
    }
    return b.build();
  }

  private static Function<Event, String> batchKeyFor(String name) {
    if (name.equals("user_id")) {
      return Event::userId;
    }
    if (name.equals("device_id")) {
      return Event::deviceId;
    }
    if (name.startsWith("groups.")) {
      String type = name.substring("groups.".length());
      return e -> {
        Object g = e.groups().get(type);
        return g == null ? null : String.valueOf(g);
      };
    }
    throw new IllegalArgumentException(
        "delivery setting 'batch_key' must be user_id, device_id or groups.<type>");
  }

  private static long num(String key, Object v) {
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.longValue();
    }
    throw new IllegalArgumentException(
        "delivery setting '" + key + "' must be an integer, got " + v);
  }

  private static double dbl(String key, Object v) {
    if (v instanceof Number n && n.doubleValue() >= 0) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException(
        "delivery setting '" + key + "' must be a number >= 0, got " + v);
  }

  private static <N extends Number> N positive(String key, N n) {
    if (n.doubleValue() <= 0) {
      throw new IllegalArgumentException("delivery setting '" + key + "' must be > 0, got " + n);
    }
    return n;
  }

  public String id() {
    return id;
  }

  /** Which events this destination receives; the default lets all through. */
  public Predicate<Event> filter() {
    return filter;
  }

  /**
   * Transforms each routed event before delivery; returning null drops the event. Identity by
   * default.
   */
  public UnaryOperator<Event> mapper() {
    return mapper;
  }

  public int maxBatchEvents() {
    return maxBatchEvents;
  }

  /** Batch size limit in bytes of canonical JSON. */
  public long maxBatchBytes() {
    return maxBatchBytes;
  }

  public Duration maxBatchDelay() {
    return maxBatchDelay;
  }

  /** Groups events into separate batches by this key (e.g. one batch per user); null: no key. */
  public Function<Event, String> batchKey() {
    return batchKey;
  }

  public int workers() {
    return workers;
  }

  public int maxInFlightBatches() {
    return maxInFlightBatches;
  }

  /**
   * How many events may be read ahead of the cursor (in batches, retrying, or waiting): bounds
   * memory.
   */
  public int maxOutstandingEvents() {
    return maxOutstandingEvents;
  }

  /** Give up after this many attempts; {@link Integer#MAX_VALUE} (the default): by age only. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** Give up retrying an event this long after its first attempt. */
  public Duration maxRetryAge() {
    return maxRetryAge;
  }

  public Duration initialBackoff() {
    return initialBackoff;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  /**
   * Events older than this (by upload time) are not delivered but dead-lettered with reason {@code
   * expired}.
   */
  public Duration retention() {
    return retention;
  }

  /** Request rate limit; 0 means unlimited until a 429 teaches one. */
  public double requestsPerSecond() {
    return requestsPerSecond;
  }

  /** Event rate limit; 0 means unlimited. */
  public double eventsPerSecond() {
    return eventsPerSecond;
  }

  /** When on, a user's later events wait behind a retrying earlier one. */
  public boolean orderedPerUser() {
    return orderedPerUser;
  }

  /**
   * Secret values (resolved credentials) scrubbed from response excerpts before they are stored or
   * shown.
   */
  public List<String> secrets() {
    return secrets;
  }

  @Override
  public String toString() {
    return "DestinationConfig[" + id + "]";
  }

  /**
   * Builds a {@link DestinationConfig}; not thread-safe. Defaults follow common industry practice.
   */
  public static final class Builder {
    private final String id;
    private Predicate<Event> filter = RoutingFilter.all();
    private UnaryOperator<Event> mapper = UnaryOperator.identity();
    private Integer maxBatchEvents = 500;
    private Long maxBatchBytes = 1024L * 1024;
    private Duration maxBatchDelay = Duration.ofMillis(250);
    private Function<Event, String> batchKey;
    private Integer workers = 2;
    private Integer maxInFlightBatches = 4;
    private int maxOutstandingEvents;
    // no count: retries give up by age (max_retry_age, 4 h), as documented; a count would end a
    // long outage early (30 attempts at a 5-minute cap is about 80 minutes)
    private Integer maxAttempts = Integer.MAX_VALUE;
    private Duration maxRetryAge = Duration.ofHours(4);
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofMinutes(5);
    private Duration retention = Duration.ofDays(7);
    private double requestsPerSecond;
    private double eventsPerSecond;
    private boolean orderedPerUser;
    private List<String> secrets = List.of();

    private Builder(String id) {
      Objects.requireNonNull(id, "id");
      Ids.require("destination id", id);
      this.id = id;
    }

    public Builder filter(Predicate<Event> filter) {
      this.filter = Objects.requireNonNull(filter);
      return this;
    }

    public Builder mapper(UnaryOperator<Event> mapper) {
      this.mapper = Objects.requireNonNull(mapper);
      return this;
    }

    public Builder maxBatchEvents(int n) {
      this.maxBatchEvents = n;
      return this;
    }

    public Builder maxBatchBytes(long n) {
      this.maxBatchBytes = n;
      return this;
    }

    public Builder maxBatchDelay(Duration d) {
      this.maxBatchDelay = d;
      return this;
    }

    public Builder batchKey(Function<Event, String> key) {
      this.batchKey = key;
      return this;
    }

    public Builder workers(int n) {
      this.workers = n;
      return this;
    }

    public Builder maxInFlightBatches(int n) {
      this.maxInFlightBatches = n;
      return this;
    }

    public Builder maxOutstandingEvents(int n) {
      this.maxOutstandingEvents = n;
      return this;
    }

    public Builder maxAttempts(int n) {
      this.maxAttempts = n;
      return this;
    }

    public Builder maxRetryAge(Duration d) {
      this.maxRetryAge = d;
      return this;
    }

    public Builder initialBackoff(Duration d) {
      this.initialBackoff = d;
      return this;
    }

    public Builder maxBackoff(Duration d) {
      this.maxBackoff = d;
      return this;
    }

    public Builder retention(Duration d) {
      this.retention = d;
      return this;
    }

    public Builder requestsPerSecond(double r) {
      this.requestsPerSecond = r;
      return this;
    }

    public Builder eventsPerSecond(double r) {
      this.eventsPerSecond = r;
      return this;
    }

    public Builder orderedPerUser(boolean on) {
      this.orderedPerUser = on;
      return this;
    }

    public Builder secrets(List<String> values) {
      this.secrets = List.copyOf(values);
      return this;
    }

    public DestinationConfig build() {
      return new DestinationConfig(this);
    }
  }
}
