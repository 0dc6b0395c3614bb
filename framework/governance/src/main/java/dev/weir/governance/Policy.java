package dev.weir.governance;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How one source enforces its tracking plan: the source's {@code tracking_plan} settings.
 * Immutable.
 *
 * @param planId the plan id
 * @param pinnedVersion the version used when an event names none (or names one that is not loaded);
 *     null for the highest loaded version
 * @param onUnplannedEvent what to do with an event type the plan does not list
 * @param onUnplannedProperty what to do with a property the plan does not list
 * @param onInvalidValue what to do with a wrong type, a failed format/enum/range, or a missing
 *     required property
 * @param blocked where blocked events go
 */
public record Policy(
    String planId,
    Integer pinnedVersion,
    UnplannedEvent onUnplannedEvent,
    UnplannedProperty onUnplannedProperty,
    InvalidValue onInvalidValue,
    Blocked blocked) {

  /**
   * Unplanned events: accepted silently (still counted), accepted with a violation attached, or
   * blocked.
   */
  public enum UnplannedEvent {
    ALLOW,
    FLAG,
    BLOCK
  }

  /** Unplanned properties: kept (with a violation attached) or removed from the event. */
  public enum UnplannedProperty {
    KEEP,
    OMIT
  }

  /** Invalid values: flagged, the offending top-level property removed, or the event blocked. */
  public enum InvalidValue {
    FLAG,
    OMIT_PROPERTY,
    BLOCK
  }

  /**
   * Blocked events: dropped (counted) or handed to the quarantine destination with their
   * violations.
   */
  public enum Blocked {
    DROP,
    QUARANTINE
  }

  private static final Set<String> KEYS =
      Set.of(
          "id",
          "version",
          "on_unplanned_event",
          "on_unplanned_property",
          "on_invalid_value",
          "blocked");

  public Policy {
    Objects.requireNonNull(planId, "planId");
    Objects.requireNonNull(onUnplannedEvent, "onUnplannedEvent");
    Objects.requireNonNull(onUnplannedProperty, "onUnplannedProperty");
    Objects.requireNonNull(onInvalidValue, "onInvalidValue");
    Objects.requireNonNull(blocked, "blocked");
  }

  /** Flag everything, block nothing: the defaults for settings left out. */
  public static Policy lenient(String planId) {
    return new Policy(
        planId, null, UnplannedEvent.FLAG, UnplannedProperty.KEEP, InvalidValue.FLAG, Blocked.DROP);
  }

  /**
   * Reads a source's {@code tracking_plan} settings: {@code {id: ecommerce, version: 3,
   * on_unplanned_event: allow|flag|block, on_unplanned_property: keep|omit, on_invalid_value:
   * flag|omit_property|block, blocked: drop|quarantine}}. Only {@code id} is required; the defaults
   * are flag / keep / flag / drop and the latest version. Values may use {@code -} or {@code _}.
   *
   * @throws IllegalArgumentException naming the key, for unknown keys and bad values
   */
  public static Policy fromMap(Map<String, ?> settings) {
    Objects.requireNonNull(settings, "settings");
    for (String key : settings.keySet()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "tracking_plan."
                + key
                + ": unknown setting; expected one of "
                + KEYS.stream().sorted().toList());
      }
    }
    Object id = settings.get("id");
    if (!(id instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException(
          "tracking_plan.id: required, the id of a loaded tracking plan");
    }
    Integer version = null;
    Object v = settings.get("version");
    if (v != null) {
      try {
        long l =
            v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                ? n.longValue()
                : Long.parseLong(v.toString().trim());
        if (l < 1 || l > Integer.MAX_VALUE) {
          throw new NumberFormatException();
        }
        version = (int) l;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "tracking_plan.version: must be a positive integer, got '" + v + "'");
      }
    }
    return new Policy(
        s,
        version,
        parse(settings, "on_unplanned_event", UnplannedEvent.class, UnplannedEvent.FLAG),
        parse(settings, "on_unplanned_property", UnplannedProperty.class, UnplannedProperty.KEEP),
        parse(settings, "on_invalid_value", InvalidValue.class, InvalidValue.FLAG),
        parse(settings, "blocked", Blocked.class, Blocked.DROP));
  }

  private static <E extends Enum<E>> E parse(
      Map<String, ?> settings, String key, Class<E> type, E dflt) {
    Object v = settings.get(key);
    if (v == null) {
      return dflt;
    }
    String name = v.toString().trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    StringBuilder allowed = new StringBuilder();
    for (E e : type.getEnumConstants()) {
      allowed.append(allowed.length() == 0 ? "" : "|").append(e.name().toLowerCase(Locale.ROOT));
    }
    throw new IllegalArgumentException(
        "tracking_plan." + key + ": must be " + allowed + ", got '" + v + "'");
  }
}
