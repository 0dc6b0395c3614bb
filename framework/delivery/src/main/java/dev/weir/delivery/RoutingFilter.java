package dev.weir.delivery;

import dev.weir.sdk.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which events a destination receives: allow-lists of sources (the workspace source ids routed to
 * it) and event types (each empty: all), and predicates on event properties, all of which must
 * hold. Immutable and thread-safe; build with {@link #builder()}.
 */
public final class RoutingFilter implements Predicate<Event> {
  private static final RoutingFilter ALL = builder().build();

  private final Set<String> sources;
  private final Set<String> eventTypes;
  private final List<Predicate<Event>> predicates;

  private RoutingFilter(Builder b) {
    this.sources = Set.copyOf(b.sources);
    this.eventTypes = Set.copyOf(b.eventTypes);
    this.predicates = List.copyOf(b.predicates);
  }

  /** A filter that lets every event through. */
  public static RoutingFilter all() {
    return ALL;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads the snake_case config form: {@code {"sources": [..], "event_types": [..], "properties":
   * {"plan": "pro"}}} where each property must equal the given value (a list value means "one of").
   */
  public static RoutingFilter fromConfig(Map<String, ?> config) {
    Builder b = builder();
    if (config == null) {
      return b.build();
    }
    Object sources = config.get("sources");
    if (sources instanceof List<?> list) {
      for (Object src : list) {
        b.source(String.valueOf(src));
      }
    }
    Object types = config.get("event_types");
    if (types instanceof List<?> list) {
      for (Object t : list) {
        b.eventType(String.valueOf(t));
      }
    }
    Object props = config.get("properties");
    if (props instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        if (e.getValue() instanceof List<?> options) {
          b.propertyIn(key, options);
        } else {
          b.propertyEquals(key, e.getValue());
        }
      }
    }
    return b.build();
  }

  public Set<String> sources() {
    return sources;
  }

  public Set<String> eventTypes() {
    return eventTypes;
  }

  @Override
  public boolean test(Event event) {
    if (!sources.isEmpty() && !sources.contains(event.sourceId())) {
      return false;
    }
    if (!eventTypes.isEmpty() && !eventTypes.contains(event.eventType())) {
      return false;
    }
    for (Predicate<Event> p : predicates) {
      if (!p.test(event)) {
        return false;
      }
    }
    return true;
  }

  /** Builds a {@link RoutingFilter}; not thread-safe. */
  public static final class Builder {
    private final List<String> sources = new ArrayList<>();
    private final List<String> eventTypes = new ArrayList<>();
    private final List<Predicate<Event>> predicates = new ArrayList<>();

    private Builder() {}

    /** Only events received by this workspace source ({@link Event#sourceId()}). */
    public Builder source(String sourceId) {
      sources.add(Objects.requireNonNull(sourceId, "sourceId"));
      return this;
    }

    public Builder eventType(String type) {
      eventTypes.add(Objects.requireNonNull(type, "type"));
      return this;
    }

    public Builder eventTypes(List<String> types) {
      types.forEach(this::eventType);
      return this;
    }

    /** The event property {@code key} equals {@code value} (numbers compare by value). */
    public Builder propertyEquals(String key, Object value) {
      predicates.add(e -> same(e.eventProperties().get(key), value));
      return this;
    }

    /** The event property {@code key} equals one of {@code values}. */
    public Builder propertyIn(String key, List<?> values) {
      List<?> copy = List.copyOf(values);
      predicates.add(e -> copy.stream().anyMatch(v -> same(e.eventProperties().get(key), v)));
      return this;
    }

    /** The event property {@code key} is present and not null. */
    public Builder propertyExists(String key) {
      predicates.add(e -> e.eventProperties().get(key) != null);
      return this;
    }

    /** Any other condition on the event. */
    public Builder where(Predicate<Event> predicate) {
      predicates.add(Objects.requireNonNull(predicate, "predicate"));
      return this;
    }

    public RoutingFilter build() {
      return new RoutingFilter(this);
    }

    private static boolean same(Object actual, Object expected) {
      if (actual instanceof Number a && expected instanceof Number b) {
        return Double.compare(a.doubleValue(), b.doubleValue()) == 0;
      }
      return Objects.equals(actual, expected);
    }
  }
}
