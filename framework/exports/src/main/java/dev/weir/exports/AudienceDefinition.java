package dev.weir.exports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.weir.realtime.Filter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A saved audience: the users with an {@code include} event in the last {@code window} and no
 * {@code exclude} event in it, recomputed every {@code schedule} and synced to {@code destination}.
 * Immutable.
 *
 * <p>YAML form (snake_case): {@code name}, {@code destination}, {@code schedule_ms}, {@code
 * window_ms}, {@code include: {event_type, where: [{property, op, value | values}]}}, optional
 * {@code exclude} of the same shape.
 */
public record AudienceDefinition(
    String name,
    String destination,
    Duration schedule,
    Duration window,
    Rule include,
    Rule exclude) {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> KEYS =
      Set.of(
          "name", "destination", "schedule_ms", "window_ms", "include", "exclude", "description");

  public AudienceDefinition {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[a-z0-9][a-z0-9_-]*")) {
      throw new IllegalArgumentException(
          "audience name '" + name + "' must be lower-case letters, digits, '_', '-'");
    }
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(include, "include");
    if (schedule.isZero() || schedule.isNegative() || window.isZero() || window.isNegative()) {
      throw new IllegalArgumentException(
          "audience '" + name + "': schedule_ms and window_ms must be positive");
    }
  }

  /**
   * One event condition: events of {@code eventType} (null = any) matching every filter.
   *
   * @param eventType the event type, or null for any
   * @param filters conditions on the event's columns, see {@link Filter}
   */
  public record Rule(String eventType, List<Filter> filters) {
    public Rule {
      filters = filters == null ? List.of() : List.copyOf(filters);
    }
  }

  /** Reads one audience from a YAML file; errors name the file and the offending key. */
  public static AudienceDefinition load(Path file) throws IOException {
    Map<String, Object> m;
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> read = YAML.readValue(file.toFile(), Map.class);
      m = read;
    } catch (IOException e) {
      throw new IOException(file + ": not valid YAML: " + e.getMessage(), e);
    }
    try {
      return fromMap(m);
    } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /** Reads the snake_case map form. */
  public static AudienceDefinition fromMap(Map<String, ?> m) {
    for (String k : m.keySet()) {
      if (!KEYS.contains(k)) {
        throw new IllegalArgumentException("unknown key '" + k + "'; expected one of " + KEYS);
      }
    }
    return new AudienceDefinition(
        (String) m.get("name"),
        (String) m.get("destination"),
        Duration.ofMillis(number(m, "schedule_ms", 60_000)),
        Duration.ofMillis(number(m, "window_ms", 1_800_000)),
        rule(m.get("include"), "include"),
        m.get("exclude") == null ? null : rule(m.get("exclude"), "exclude"));
  }

  private static long number(Map<String, ?> m, String key, long fallback) {
    Object v = m.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number n) {
      return n.longValue();
    }
    throw new IllegalArgumentException("'" + key + "' must be a number of milliseconds");
  }

  private static Rule rule(Object o, String where) {
    if (!(o instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(
          "'" + where + "' must be an object with event_type and where");
    }
    List<Filter> filters = new ArrayList<>();
    Object w = m.get("where");
    if (w != null) {
      if (!(w instanceof List<?> list)) {
        throw new IllegalArgumentException("'" + where + ".where' must be a list of conditions");
      }
      for (int i = 0; i < list.size(); i++) {
        Map<?, ?> f = (Map<?, ?>) list.get(i);
        String op = String.valueOf(f.get("op")).toUpperCase(Locale.ROOT);
        Filter.Op fop;
        try {
          fop = Filter.Op.valueOf(op);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "'"
                  + where
                  + ".where["
                  + i
                  + "].op' must be one of eq, ne, in, lt, gt,"
                  + " exists; got '"
                  + f.get("op")
                  + "'");
        }
        List<Object> values = new ArrayList<>();
        if (f.get("values") instanceof List<?> vs) {
          values.addAll(vs);
        } else if (f.get("value") != null) {
          values.add(f.get("value"));
        }
        filters.add(new Filter((String) f.get("property"), fop, values));
      }
    }
    return new Rule((String) m.get("event_type"), filters);
  }
}
