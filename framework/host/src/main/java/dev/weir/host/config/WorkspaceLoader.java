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
import dev.weir.definitions.Problem;
import dev.weir.definitions.YamlSchemaCheck;
import dev.weir.host.config.Workspace.DestinationConfig;
import dev.weir.host.config.Workspace.RouteConfig;
import dev.weir.host.config.Workspace.ServerConfig;
import dev.weir.host.config.Workspace.SourceConfig;
import dev.weir.host.config.Workspace.StoreConfig;
import dev.weir.host.config.Workspace.TlsConfig;
import dev.weir.runtime.Suggestions;
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
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new WorkspaceException(
          List.of(new ConfigProblem(file.toString(), "", "", "file not found")));
    } catch (IOException e) {
      throw new WorkspaceException(
          List.of(new ConfigProblem(file.toString(), "", "", "cannot read: " + e)));
    }
    JsonNode root = parse(name, text);
    if (root == null || root.isMissingNode() || root.isNull()) {
      root = JsonNodeFactory.instance.objectNode();
    }
    if (!root.isObject()) {
      throw new WorkspaceException(
          List.of(
              Problems.located(
                  name,
                  WorkspaceSchema.read(name, text),
                  Node.root(root),
                  "must be a YAML mapping")));
    }
    YamlSchemaCheck.Checked checked = WorkspaceSchema.read(name, text);
    List<ConfigProblem> problems = new ArrayList<>(WorkspaceSchema.problems(name, checked, root));
    Problems p = new Problems(name, checked);
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

  /** The YAML tree of {@code text}; not valid YAML is one problem at its line and column. */
  private static JsonNode parse(String name, String text) throws WorkspaceException {
    try {
      return new YAMLMapper().readTree(text);
    } catch (JsonProcessingException e) {
      // the located reading names the problem's line and column (its mark), in one line
      for (Problem q : WorkspaceSchema.read(name, text).problems()) {
        if (q.message().startsWith("not valid YAML")) {
          throw new WorkspaceException(
              List.of(new ConfigProblem(name, q.line(), q.column(), "", "", q.message())));
        }
      }
      JsonLocation at = e.getLocation();
      int line = at == null ? 0 : Math.max(at.getLineNr(), 0);
      int column = line == 0 ? 0 : Math.max(at.getColumnNr(), 1);
      throw new WorkspaceException(
          List.of(
              new ConfigProblem(
                  name, line, column, "", "", "not valid YAML: " + e.getOriginalMessage())));
    }
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

    Workspace.ClusterConfig cluster = ClusterReader.read(root, top, p, storeConfig);

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

    ConnectionReader.Definitions defs = new ConnectionReader.Definitions(definitionsDir);
    ConnectionReader connections = new ConnectionReader(catalog);
    List<SourceConfig> sources = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    ArrayNode srcs = p.array(root, top, "sources");
    for (int i = 0; srcs != null && i < srcs.size(); i++) {
      SourceConfig s = connections.source(srcs.get(i), top.key("sources").index(i), p, ids, defs);
      if (s != null) {
        sources.add(s);
      }
    }
    List<DestinationConfig> destinations = new ArrayList<>();
    ArrayNode dsts = p.array(root, top, "destinations");
    for (int i = 0; dsts != null && i < dsts.size(); i++) {
      DestinationConfig d =
          connections.destination(dsts.get(i), top.key("destinations").index(i), p, ids, defs);
      if (d != null) {
        destinations.add(d);
      }
    }
    if (cluster != null
        && !cluster.settings().has(dev.weir.cluster.ClusterSettings.Role.INGEST)
        && sources.stream().anyMatch(SourceConfig::enabled)) {
      // a store node's partitions are written by their fenced owner only, never by a local source
      p.add(
          top.key("cluster").key("roles"),
          "sources need the ingest role: add ingest, or disable the sources on this store node");
    }
    List<RouteConfig> routes = routes(root, top, p, sources, destinations);
    var audiences = AudienceSettings.read(root, top, p, dir, destinations);
    JsonNode printable = Redaction.printable(root, secrets, credentials, catalog);
    return new Workspace(
        file,
        serverConfig,
        storeConfig,
        cluster,
        pluginsDir,
        definitionsDir,
        plans,
        sources,
        destinations,
        routes,
        audiences,
        secrets,
        printable);
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

  static String orElse(String v, String fallback) {
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
