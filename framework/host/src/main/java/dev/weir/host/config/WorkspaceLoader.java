package dev.weir.host.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.weir.host.config.Workspace.DeliveryOptions;
import dev.weir.host.config.Workspace.DestinationConfig;
import dev.weir.host.config.Workspace.Filter;
import dev.weir.host.config.Workspace.Mode;
import dev.weir.host.config.Workspace.RouteConfig;
import dev.weir.host.config.Workspace.ServerConfig;
import dev.weir.host.config.Workspace.SourceConfig;
import dev.weir.host.config.Workspace.StoreConfig;
import dev.weir.host.config.Workspace.TlsConfig;
import dev.weir.host.config.Workspace.TrackingPlanBinding;
import dev.weir.runtime.SettingsProblem;
import dev.weir.runtime.SettingsSchema;
import dev.weir.runtime.Suggestions;
import dev.weir.sdk.ConnectorKind;
import dev.weir.sdk.Ids;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a workspace YAML file strictly: checks its structure against the workspace JSON Schema
 * ({@link WorkspaceSchema}: unknown keys with a suggestion, kinds of values, each at its line and
 * column), resolves references, checks ids, routes and connector types, and validates every
 * connection's settings against its connector's JSON Schema. Reports every problem at once.
 * Stateless and thread-safe.
 */
public final class WorkspaceLoader {
  private final ConnectorCatalog catalog;
  private final Function<String, String> env;
  private final Set<String> publicNames;

  /**
   * A loader that resolves {@code ${env:...}} with {@code env} (such as {@code System::getenv}).
   */
  public WorkspaceLoader(ConnectorCatalog catalog, Function<String, String> env) {
    this(catalog, env, Set.of());
  }

  /**
   * Like {@link #WorkspaceLoader(ConnectorCatalog, Function)}; values of the variables in {@code
   * publicNames} (such as those the CLI sets from {@code --port} or {@code --data-dir}) are not
   * treated as secrets.
   */
  public WorkspaceLoader(
      ConnectorCatalog catalog, Function<String, String> env, Set<String> publicNames) {
    this.catalog = catalog;
    this.env = env;
    this.publicNames = Set.copyOf(publicNames);
  }

  /** Loads and validates {@code file}; throws with every problem found. */
  public Workspace load(Path file) throws WorkspaceException {
    String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    Problems p = new Problems(name);
    JsonNode root;
    String text;
    try {
      text = Files.readString(file);
      root = new YAMLMapper().readTree(text);
    } catch (NoSuchFileException e) {
      throw new WorkspaceException(
          List.of(new ConfigProblem(file.toString(), "", "", "file not found")));
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new WorkspaceException(
          List.of(new ConfigProblem(name, where, "", "not valid YAML: " + e.getOriginalMessage())));
    } catch (IOException e) {
      throw new WorkspaceException(
          List.of(new ConfigProblem(file.toString(), "", "", "cannot read: " + e)));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      root = JsonNodeFactory.instance.objectNode();
    }
    if (!root.isObject()) {
      throw new WorkspaceException(
          List.of(new ConfigProblem(name, "", "", "must be a YAML mapping")));
    }
    List<ConfigProblem> problems = new ArrayList<>(WorkspaceSchema.check(name, text, root));
    Path dir = file.toAbsolutePath().getParent();
    Set<String> secrets = new LinkedHashSet<>();
    References refs = new References(env, publicNames, dir, secrets);
    resolveAll((ObjectNode) root, refs, p, Node.root(root));
    Workspace ws = build((ObjectNode) root, dir, file, p, secrets, refs.credentials());
    List<ConfigProblem> structural = List.copyOf(problems);
    p.list().stream().filter(c -> !WorkspaceSchema.covered(c, structural)).forEach(problems::add);
    if (!problems.isEmpty()) {
      // A validator message could quote a value; never let a resolved secret through.
      throw new WorkspaceException(
          problems.stream()
              .map(
                  c ->
                      new ConfigProblem(
                          c.file(),
                          c.line(),
                          c.column(),
                          c.where(),
                          c.path(),
                          Redaction.mask(c.message(), secrets)))
              .toList());
    }
    return ws;
  }

  private static void resolveAll(JsonNode node, References refs, Problems p, Node at) {
    if (node instanceof ObjectNode o) {
      for (Map.Entry<String, JsonNode> e : iterable(o)) {
        if (e.getValue().isTextual()) {
          try {
            o.set(e.getKey(), TextNode.valueOf(refs.resolve(e.getValue().textValue())));
          } catch (IllegalArgumentException ex) {
            p.add(at.key(e.getKey()), ex.getMessage());
          }
        } else {
          resolveAll(e.getValue(), refs, p, at.key(e.getKey()));
        }
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i).isTextual()) {
          try {
            a.set(i, TextNode.valueOf(refs.resolve(a.get(i).textValue())));
          } catch (IllegalArgumentException ex) {
            p.add(at.index(i), ex.getMessage());
          }
        } else {
          resolveAll(a.get(i), refs, p, element(at, a.get(i), i));
        }
      }
    }
  }

  /** Sources and destinations are named by id in messages, like everywhere else. */
  private static Node element(Node at, JsonNode item, int i) {
    JsonNode id = item.get("id");
    if (at.where().isEmpty() && id != null && id.isTextual()) {
      if (at.path().equals("sources")) {
        return at.index(i).connection("source", id.textValue());
      }
      if (at.path().equals("destinations")) {
        return at.index(i).connection("destination", id.textValue());
      }
    }
    return at.index(i);
  }

  private static List<Map.Entry<String, JsonNode>> iterable(ObjectNode o) {
    List<Map.Entry<String, JsonNode>> l = new ArrayList<>();
    o.fields().forEachRemaining(l::add);
    return l;
  }

  private Workspace build(
      ObjectNode root,
      Path dir,
      Path file,
      Problems p,
      Set<String> secrets,
      Set<String> credentials) {
    Node top = Node.root(root);

    ObjectNode server = p.object(root, top, "server");
    ServerConfig serverConfig = null;
    if (server != null) {
      Node at = top.key("server");
      TlsConfig tls = null;
      ObjectNode t = p.object(server, at, "tls");
      if (t != null) {
        String ks = p.string(t, at.key("tls"), "keystore", true);
        tls =
            new TlsConfig(
                ks == null ? null : dir.resolve(ks),
                p.string(t, at.key("tls"), "keystore_password", false),
                orElse(p.string(t, at.key("tls"), "keystore_type", false), "PKCS12"));
      }
      serverConfig =
          new ServerConfig(
              p.integer(server, at, "port", 8081, 0, 65535),
              tls,
              orElse(p.string(server, at, "host", false), "127.0.0.1"),
              p.strings(server, at, "admin_tokens"),
              p.bool(server, at, "public_metrics", false));
    }

    ObjectNode store = p.object(root, top, "store");
    StoreConfig storeConfig =
        new StoreConfig(
            Path.of("weir-data", "store"), 4, StoreConfig.DEFAULT_MEMORY_CAPACITY, Map.of());
    if (store != null) {
      Node at = top.key("store");
      ObjectNode opts = p.object(store, at, "options");
      storeConfig =
          new StoreConfig(
              Path.of(orElse(p.string(store, at, "dir", false), "weir-data/store")),
              p.integer(store, at, "partitions", 4, 1, 1024),
              p.whole(
                  store,
                  at,
                  "memory_capacity",
                  StoreConfig.DEFAULT_MEMORY_CAPACITY,
                  0,
                  Long.MAX_VALUE),
              opts == null ? Map.of() : Json.coerced(Json.toMap(opts)));
      try {
        StoreSettings.options(storeConfig, msg -> {});
      } catch (IllegalArgumentException e) {
        p.add(at.key("options"), e.getMessage().replaceFirst("^options\\.", ""));
      }
    }

    Path pluginsDir = Path.of(orElse(p.string(root, top, "plugins_dir", false), "plugins"));
    Path definitionsDir =
        dir.resolve(orElse(p.string(root, top, "definitions_dir", false), "definitions"))
            .normalize();
    List<Path> plans = new ArrayList<>();
    List<String> planFiles = p.strings(root, top, "tracking_plans");
    for (int i = 0; i < planFiles.size(); i++) {
      Path plan = dir.resolve(planFiles.get(i)).normalize();
      if (!Files.isRegularFile(plan)) {
        p.add(top.key("tracking_plans").index(i), "file not found: " + plan);
      }
      plans.add(plan);
    }

    Definitions defs = new Definitions(definitionsDir);
    List<SourceConfig> sources = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    ArrayNode srcs = p.array(root, top, "sources");
    for (int i = 0; srcs != null && i < srcs.size(); i++) {
      SourceConfig s = source(srcs.get(i), top.key("sources").index(i), p, ids, defs);
      if (s != null) {
        sources.add(s);
      }
    }
    List<DestinationConfig> destinations = new ArrayList<>();
    ArrayNode dsts = p.array(root, top, "destinations");
    for (int i = 0; dsts != null && i < dsts.size(); i++) {
      DestinationConfig d =
          destination(dsts.get(i), top.key("destinations").index(i), p, ids, defs);
      if (d != null) {
        destinations.add(d);
      }
    }
    List<RouteConfig> routes = routes(root, top, p, sources, destinations);
    JsonNode printable = Redaction.printable(root, secrets, credentials, catalog);
    return new Workspace(
        file,
        serverConfig,
        storeConfig,
        pluginsDir,
        definitionsDir,
        plans,
        sources,
        destinations,
        routes,
        secrets,
        printable);
  }

  private SourceConfig source(JsonNode n, Node at, Problems p, Set<String> ids, Definitions defs) {
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
  private static final class Definitions {
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

  private DestinationConfig destination(
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
    String modeText = orElse(p.string(o, conn, "mode", false), "stream");
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

  private static List<RouteConfig> routes(
      ObjectNode root,
      Node top,
      Problems p,
      List<SourceConfig> sources,
      List<DestinationConfig> destinations) {
    List<RouteConfig> out = new ArrayList<>();
    ArrayNode routes = p.array(root, top, "routes");
    List<String> sourceIds = sources.stream().map(SourceConfig::id).toList();
    List<String> destIds = destinations.stream().map(DestinationConfig::id).toList();
    for (int i = 0; routes != null && i < routes.size(); i++) {
      Node at = top.key("routes").index(i);
      if (!(routes.get(i) instanceof ObjectNode r)) {
        p.add(at, "must be a mapping with 'from' and 'to'");
        continue;
      }
      String from = p.string(r, at, "from", true);
      String base =
          from != null && from.endsWith(dev.weir.host.pipeline.Governance.QUARANTINE_SUFFIX)
              ? from.substring(
                  0, from.length() - dev.weir.host.pipeline.Governance.QUARANTINE_SUFFIX.length())
              : null;
      if (base != null && sourceIds.contains(base)) {
        boolean quarantines =
            sources.stream()
                .anyMatch(
                    s ->
                        s.id().equals(base)
                            && s.trackingPlan() != null
                            && "quarantine".equals(s.trackingPlan().blocked()));
        if (!quarantines) {
          p.add(
              at.key("from"),
              "source '"
                  + base
                  + "' does not quarantine blocked events (set its "
                  + "tracking_plan.blocked to quarantine)");
        }
      } else if (from != null && !sourceIds.contains(from)) {
        p.add(at.key("from"), "unknown source '" + from + "'" + Suggestions.hint(from, sourceIds));
      }
      List<String> to =
          r.has("to") && r.get("to").isTextual()
              ? List.of(r.get("to").textValue())
              : p.strings(r, at, "to");
      if (!r.has("to")) {
        p.add(at.key("to"), "required key missing");
      }
      for (int j = 0; j < to.size(); j++) {
        if (!destIds.contains(to.get(j))) {
          p.add(
              at.key("to").index(j),
              "unknown destination '" + to.get(j) + "'" + Suggestions.hint(to.get(j), destIds));
        }
      }
      if (from != null) {
        out.add(new RouteConfig(from, to));
      }
    }
    return out;
  }

  private static String orElse(String v, String fallback) {
    return v == null ? fallback : v;
  }

  /** Converts between Jackson trees and plain maps. */
  static final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> toMap(JsonNode n) {
      return n == null ? Map.of() : new LinkedHashMap<>(MAPPER.convertValue(n, Map.class));
    }

    /**
     * Text that reads as a whole number, a decimal or a boolean as that value: a value written as a
     * reference ({@code ${env:...}}) is text once resolved.
     */
    static Map<String, Object> coerced(Map<String, Object> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : m.entrySet()) {
        Object v = e.getValue();
        if (v instanceof String s) {
          if (s.matches("-?\\d{1,18}")) {
            v = Long.parseLong(s);
          } else if (s.matches("-?\\d+\\.\\d+")) {
            v = Double.parseDouble(s);
          } else if (s.equals("true") || s.equals("false")) {
            v = Boolean.parseBoolean(s);
          }
        }
        out.put(e.getKey(), v);
      }
      return out;
    }
  }
}
