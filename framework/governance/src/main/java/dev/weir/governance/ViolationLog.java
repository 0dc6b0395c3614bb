package dev.weir.governance;

import dev.weir.sdk.Event;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The most recent violations across sources, with masked sample payloads, for the admin API ({@code
 * GET /api/v1/violations?source=...&since=...}). Bounded per source (so a noisy source cannot evict
 * a quiet one's records): each source keeps its most recent {@code capacityPerSource} records,
 * oldest evicted first.
 *
 * <p>Thread-safe. Samples are masked when recorded, so unmasked PII or secrets are never held:
 * values of the configured PII fields (a bare name such as {@code email} matches at any depth; a
 * dotted path such as {@code event_properties.card} matches only there) and of secret-looking keys
 * (password, secret, token, api_key, authorization, credential, write_key) are replaced by {@value
 * #MASK}.
 */
public final class ViolationLog {
  /** What masked values are replaced by. */
  public static final String MASK = "***";

  /** PII fields masked when no list is configured. */
  public static final Set<String> DEFAULT_PII_FIELDS =
      Set.of(
          "email",
          "phone",
          "ip",
          "idfa",
          "idfv",
          "adid",
          "android_id",
          "location_lat",
          "location_lng");

  private static final List<String> SECRET_HINTS =
      List.of(
          "password",
          "passwd",
          "secret",
          "token",
          "api_key",
          "apikey",
          "authorization",
          "credential",
          "write_key",
          "writekey");

  private final int capacity;
  private final Set<String> pii;
  private final Clock clock;

  /** Guarded by itself. */
  private final Map<String, ArrayDeque<Entry>> bySource = new HashMap<>();

  private long sequence;

  private record Entry(long seq, ViolationRecord record) {}

  /**
   * A log of at most {@code capacityPerSource} records per source, masking {@link
   * #DEFAULT_PII_FIELDS}.
   */
  public ViolationLog(int capacityPerSource) {
    this(capacityPerSource, DEFAULT_PII_FIELDS, Clock.systemUTC());
  }

  /**
   * A log of at most {@code capacityPerSource} records per source, masking the given PII fields
   * (and secrets).
   */
  public ViolationLog(int capacityPerSource, Set<String> piiFields) {
    this(capacityPerSource, piiFields, Clock.systemUTC());
  }

  ViolationLog(int capacity, Set<String> piiFields, Clock clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.capacity = capacity;
    this.pii =
        piiFields.stream()
            .map(s -> s.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
    this.clock = clock;
  }

  void record(String source, Decision decision, Event original) {
    Map<String, Object> sample = original.toMap();
    sample.remove("violations");
    @SuppressWarnings("unchecked")
    Map<String, Object> masked = (Map<String, Object>) mask(sample, "");
    ViolationRecord r =
        new ViolationRecord(
            clock.instant(),
            source,
            decision.planId(),
            decision.planVersion() == null ? 0 : decision.planVersion(),
            original.eventType(),
            decision.outcome(),
            decision.violations(),
            Collections.unmodifiableMap(masked));
    synchronized (bySource) {
      ArrayDeque<Entry> records = bySource.computeIfAbsent(source, k -> new ArrayDeque<>());
      if (records.size() == capacity) {
        records.removeFirst();
      }
      records.addLast(new Entry(sequence++, r));
    }
  }

  /**
   * Recent records, newest first.
   *
   * @param source only this source; null for all
   * @param since only records at or after this instant; null for all
   * @param limit at most this many
   */
  public List<ViolationRecord> query(String source, Instant since, int limit) {
    List<Entry> matches = new ArrayList<>();
    synchronized (bySource) {
      for (Map.Entry<String, ArrayDeque<Entry>> e : bySource.entrySet()) {
        if (source != null && !source.equals(e.getKey())) {
          continue;
        }
        int taken = 0;
        for (Iterator<Entry> it = e.getValue().descendingIterator();
            it.hasNext() && taken < limit;
            taken++) {
          Entry entry = it.next();
          if (since != null && entry.record().at().isBefore(since)) {
            break;
          }
          matches.add(entry);
        }
      }
    }
    matches.sort(Comparator.comparingLong(Entry::seq).reversed());
    List<ViolationRecord> out = new ArrayList<>(Math.min(limit, matches.size()));
    for (int i = 0; i < matches.size() && i < limit; i++) {
      out.add(matches.get(i).record());
    }
    return out;
  }

  /** As {@link #query(String, Instant, int)}, as JSON-ready maps. */
  public List<Map<String, Object>> queryJson(String source, Instant since, int limit) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ViolationRecord r : query(source, since, limit)) {
      out.add(r.toMap());
    }
    return out;
  }

  /** How many records are held, across sources. */
  public int size() {
    synchronized (bySource) {
      int n = 0;
      for (ArrayDeque<Entry> records : bySource.values()) {
        n += records.size();
      }
      return n;
    }
  }

  private Object mask(Object value, String path) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        String childPath = path.isEmpty() ? key : path + "." + key;
        out.put(key, sensitive(key, childPath) ? MASK : mask(e.getValue(), childPath));
      }
      return Collections.unmodifiableMap(out);
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object o : list) {
        out.add(mask(o, path));
      }
      return Collections.unmodifiableList(out);
    }
    return value;
  }

  private boolean sensitive(String key, String path) {
    String k = key.toLowerCase(Locale.ROOT);
    if (pii.contains(k) || pii.contains(path.toLowerCase(Locale.ROOT))) {
      return true;
    }
    for (String hint : SECRET_HINTS) {
      if (k.contains(hint)) {
        return true;
      }
    }
    return false;
  }
}
