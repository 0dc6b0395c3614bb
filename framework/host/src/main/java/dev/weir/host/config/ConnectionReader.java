package dev.weir.host.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.host.config.Workspace.DeliveryOptions;
import dev.weir.host.config.Workspace.DestinationConfig;
import dev.weir.host.config.Workspace.Filter;
import dev.weir.host.config.Workspace.Mode;
import dev.weir.host.config.Workspace.SourceConfig;
import dev.weir.host.config.Workspace.TrackingPlanBinding;
import dev.weir.host.config.WorkspaceLoader.Json;
import dev.weir.runtime.SettingsProblem;
import dev.weir.runtime.SettingsSchema;
import dev.weir.runtime.Suggestions;
import dev.weir.sdk.ConnectorKind;
import dev.weir.sdk.Ids;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the workspace's sources and destinations for {@link WorkspaceLoader}: ids, connector types
 * or partner definitions, tracking plan bindings, filters, delivery settings, and each connection's
 * settings checked against its connector's (or definition's) JSON Schema. Problems go to the load's
 * {@link Problems}. Stateless: what one load has seen (ids, the definitions directory) is passed
 * in.
 */
final class ConnectionReader {
  private final ConnectorCatalog catalog;

  ConnectionReader(ConnectorCatalog catalog) {
    this.catalog = catalog;
  }

  SourceConfig source(JsonNode n, Node at, Problems p, Set<String> ids, Definitions defs) {
    if (!(n instanceof ObjectNode o)) {
      p.add(at, "must be a mapping with id, type and settings");
      return null;
    }
    String id = validId(p.string(o, at, "id", true), at, p);
    Node conn = at.connection("source", id);
    if (id != null && !ids.add(id)) {
      p.add(
          conn.key("id"), "duplicate id '" + id + "' (ids are shared by sources and destinations)");
    }
    String definition = p.string(o, conn, "definition", false);
    String type = p.string(o, conn, "type", definition == null);
    dev.weir.sdk.ConnectorSpec definitionSpec = null;
    if (definition != null) {
      if (type != null) {
        p.add(
            conn.key("type"),
            "give either 'type' (a connector) or 'definition' (a partner definition), not both");
      }
      definitionSpec = definitionSpec(definition, "Source", conn, p, defs);
      type = "definition";
    }
    boolean enabled = p.bool(o, conn, "enabled", true);
    TrackingPlanBinding plan = null;
    ObjectNode tp = p.object(o, conn, "tracking_plan");
    if (tp != null) {
      Node pat = conn.key("tracking_plan");
      plan =
          new TrackingPlanBinding(
              p.string(tp, pat, "id", true),
              tp.has("version") ? p.integer(tp, pat, "version", 1, 1, Integer.MAX_VALUE) : null,
              p.string(tp, pat, "on_unplanned_event", false),
              p.string(tp, pat, "on_unplanned_property", false),
              p.string(tp, pat, "on_invalid_value", false),
              p.string(tp, pat, "blocked", false));
    }
    Map<String, Object> settings =
        definition != null
            ? definitionSettings(o, conn, definitionSpec, p)
            : settings(o, conn, type, p, ConnectorKind.SOURCE);
    return id == null || type == null
        ? null
        : new SourceConfig(id, type, definition, enabled, settings, plan);
  }

  /**
   * The spec of the partner definition {@code ref} (of {@code kind} Source or Destination), or null
   * after reporting why there is none.
   */
  private static dev.weir.sdk.ConnectorSpec definitionSpec(
      String ref, String kind, Node conn, Problems p, Definitions defs) {
    try {
      var def = DefinitionRefs.resolve(defs.registry(), ref);
      if (def.isEmpty()) {
        List<String> have = defs.registry().versions(DefinitionRefs.id(ref));
        p.add(
            conn.key("definition"),
            "no definition '"
                + ref
                + "' in "
                + defs.dir
                + (have.isEmpty() ? "" : " (installed versions: " + have + ")")
                + (defs.problems.isEmpty() ? "" : "; files with problems: " + defs.problems));
        return null;
      }
      if (!kind.equalsIgnoreCase(def.get().kind())) {
        p.add(
            conn.key("definition"),
            "'" + ref + "' is a " + def.get().kind() + " definition, not a " + kind);
        return null;
      }
      return def.get().spec();
    } catch (IllegalArgumentException e) {
      p.add(conn.key("definition"), e.getMessage());
      return null;
    }
  }

  /**
   * A definition's {@code batch.max_events} and {@code max_bytes} are the partner's per-request
   * limits: a workspace's {@code delivery:} may lower them, never raise them.
   */
  private static void withinDefinitionLimits(
      Map<String, Object> engine, String ref, Node at, Problems p, Definitions defs) {
    var def = DefinitionRefs.resolve(defs.registry(), ref);
    if (def.isEmpty()) {
      return;
    }
    var limits = def.get().delivery();
    Object events = engine.get("max_batch_events");
    if (events instanceof Number n && n.longValue() > limits.maxEvents()) {
      p.add(
          at.key("max_batch_events"),
          n
              + " is above definition '"
              + ref
              + "' batch.max_events "
              + limits.maxEvents()
              + " (the partner's limit per request): a workspace can only lower it");
    }
    Object bytes = engine.get("max_batch_bytes");
    if (bytes instanceof Number n && limits.maxBytes() > 0 && n.longValue() > limits.maxBytes()) {
      p.add(
          at.key("max_batch_bytes"),
          n
              + " is above definition '"
              + ref
              + "' batch.max_bytes "
              + limits.maxBytes()
              + " (the partner's limit per request): a workspace can only lower it");
    }
  }

  /** A definition connection's settings, checked against its definition's settings schema. */
  private static Map<String, Object> definitionSettings(
      ObjectNode o, Node conn, dev.weir.sdk.ConnectorSpec spec, Problems p) {
    JsonNode raw = o.get("settings");
    ObjectNode so = raw instanceof ObjectNode x ? x : JsonNodeFactory.instance.objectNode();
    if (spec != null) {
      for (SettingsProblem sp : SettingsSchema.of(spec).validate(so)) {
        p.add(conn.key("settings").path(sp.path()), sp.message());
      }
    }
    return Json.toMap(so);
  }

  /** Ids are names, never paths (they name state files): see {@link Ids}. */
  private static String validId(String id, Node at, Problems p) {
    if (id != null && !Ids.isValid(id)) {
      try {
        Ids.require("id", id);
      } catch (IllegalArgumentException e) {
        p.add(at.key("id"), e.getMessage());
      }
      return null;
    }
    return id;
  }

  /** The definitions directory, scanned on first use. */
  static final class Definitions {
    private final Path dir;
    private dev.weir.definitions.DefinitionRegistry registry;
    private List<dev.weir.definitions.Problem> problems = List.of();

    Definitions(Path dir) {
      this.dir = dir;
    }

    dev.weir.definitions.DefinitionRegistry registry() {
      if (registry == null) {
        registry = new dev.weir.definitions.DefinitionRegistry();
        if (Files.isDirectory(dir)) {
          problems = registry.scan(dir).problems();
        }
      }
      return registry;
    }
  }

  DestinationConfig destination(
      JsonNode n, Node at, Problems p, Set<String> ids, Definitions defs) {
    if (!(n instanceof ObjectNode o)) {
      p.add(at, "must be a mapping with id, type and settings");
      return null;
    }
    String id = validId(p.string(o, at, "id", true), at, p);
    Node conn = at.connection("destination", id);
    if (id != null && !ids.add(id)) {
      p.add(
          conn.key("id"), "duplicate id '" + id + "' (ids are shared by sources and destinations)");
    }
    String definition = p.string(o, conn, "definition", false);
    String type = p.string(o, conn, "type", definition == null);
    String version = p.string(o, conn, "version", false);
    if (version != null && definition != null) {
      p.add(
          conn.key("version"),
          "pins a connector version; pin a partner definition as definition: id@version");
    }
    dev.weir.sdk.ConnectorSpec definitionSpec = null;
    if (definition != null) {
      if (type != null) {
        p.add(
            conn.key("type"),
            "give either 'type' (a connector) or 'definition' (a partner definition), not both");
      }
      definitionSpec = definitionSpec(definition, "Destination", conn, p, defs);
      type = "definition";
    }
    String modeText = WorkspaceLoader.orElse(p.string(o, conn, "mode", false), "stream");
    Mode mode =
        switch (modeText) {
          case "stream" -> Mode.STREAM;
          case "batch" -> Mode.BATCH;
          default -> {
            p.add(conn.key("mode"), "must be 'stream' or 'batch', not '" + modeText + "'");
            yield Mode.STREAM;
          }
        };
    boolean enabled = p.bool(o, conn, "enabled", true);
    Filter filter = new Filter(List.of(), Map.of());
    ObjectNode f = p.object(o, conn, "filter");
    if (f != null) {
      ObjectNode props = p.object(f, conn.key("filter"), "properties");
      filter =
          new Filter(
              p.strings(f, conn.key("filter"), "event_types"),
              props == null ? Map.of() : Json.toMap(props));
    }
    DeliveryOptions delivery = new DeliveryOptions(Map.of());
    ObjectNode d = p.object(o, conn, "delivery");
    if (d != null) {
      Map<String, Object> engine = Json.coerced(Json.toMap(d));
      if (engine.containsKey("filter")) {
        p.add(
            conn.key("delivery").key("filter"),
            "put the filter in the destination's 'filter' section");
      } else {
        try {
          dev.weir.delivery.DestinationConfig.fromConfig(id == null ? "destination" : id, engine);
        } catch (IllegalArgumentException e) {
          p.add(conn.key("delivery"), e.getMessage());
        }
      }
      delivery = new DeliveryOptions(engine);
      if (definitionSpec != null) {
        withinDefinitionLimits(engine, definition, conn.key("delivery"), p, defs);
      }
    }
    ConnectorKind kind =
        mode == Mode.BATCH ? ConnectorKind.BATCH_DESTINATION : ConnectorKind.STREAMING_DESTINATION;
    Map<String, Object> settings;
    if (definition != null) {
      if (mode == Mode.BATCH) {
        p.add(conn.key("mode"), "partner definitions are streaming destinations (mode: stream)");
      }
      settings = definitionSettings(o, conn, definitionSpec, p);
    } else {
      settings =
          settings(o, conn, type == null || version == null ? type : type + "@" + version, p, kind);
    }
    return id == null || type == null
        ? null
        : new DestinationConfig(
            id, type, definition, mode, enabled, settings, filter, delivery, version);
  }

  private Map<String, Object> settings(
      ObjectNode o, Node conn, String type, Problems p, ConnectorKind want) {
    JsonNode raw = o.get("settings");
    if (raw != null && !raw.isObject() && !raw.isNull()) {
      p.add(conn.key("settings"), "must be a mapping");
      return Map.of();
    }
    ObjectNode settings = raw instanceof ObjectNode so ? so : JsonNodeFactory.instance.objectNode();
    if (type == null) {
      return Json.toMap(settings);
    }
    var entry = catalog.find(type);
    if (entry.isEmpty()) {
      p.add(
          conn.key("type"),
          "unknown connector '"
              + type
              + "'"
              + Suggestions.hint(type, catalog.ids())
              + " (see `weir plugins list`)");
      return Json.toMap(settings);
    }
    ConnectorKind kind = entry.get().kind();
    if (kind != want) {
      p.add(
          conn.key("type"),
          "connector '" + type + "' is a " + describe(kind) + ", not a " + describe(want));
      return Json.toMap(settings);
    }
    for (SettingsProblem sp : SettingsSchema.of(entry.get().spec()).validate(settings)) {
      p.add(conn.key("settings").path(sp.path()), sp.message());
    }
    return Json.toMap(settings);
  }

  private static String describe(ConnectorKind k) {
    return switch (k) {
      case SOURCE -> "source";
      case STREAMING_DESTINATION -> "streaming destination (mode: stream)";
      case BATCH_DESTINATION -> "batch destination (mode: batch)";
    };
  }
}
