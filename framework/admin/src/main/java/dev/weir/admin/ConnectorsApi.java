package dev.weir.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.definitions.Catalog;
import dev.weir.definitions.Definition;
import dev.weir.definitions.DryRun;
import dev.weir.sdk.Event;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Installed connectors and partner definitions, settings validation, and definition dry runs.
 * Stateless.
 */
final class ConnectorsApi {
  private final AdminBackend backend;

  ConnectorsApi(AdminBackend backend) {
    this.backend = backend;
  }

  void register(Routes r) {
    r.get("/api/v1/connectors", this::connectors);
    r.post("/api/v1/connectors/{id}/validate", this::validate);
    r.get("/api/v1/definitions", this::definitions);
    r.get("/api/v1/catalog", this::catalog);
    r.post("/api/v1/definitions/{id}/dry-run", this::dryRun);
  }

  private void connectors(Context ctx) {
    List<Map<String, Object>> plugins = new ArrayList<>();
    for (ConnectorInfo c : backend.connectors()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", c.id());
      m.put("version", c.version());
      m.put("kind", c.kind());
      m.put("plugin", c.plugin());
      m.put("origin", c.origin());
      m.put("has_settings_schema", c.settingsSchema() != null);
      plugins.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("plugins", plugins);
    out.put("definitions", definitionList());
    HttpJson.ok(ctx, out);
  }

  private List<Map<String, Object>> definitionList() {
    Map<String, List<Definition>> byId = new TreeMap<>();
    for (Definition d : backend.definitions()) {
      byId.computeIfAbsent(d.id(), k -> new ArrayList<>()).add(d);
    }
    List<Map<String, Object>> out = new ArrayList<>();
    byId.forEach(
        (id, defs) -> {
          defs.sort(Comparator.comparing(Definition::version, ConnectorsApi::compareVersions));
          Definition latest = defs.get(defs.size() - 1);
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("id", id);
          m.put("name", latest.name());
          m.put("kind", latest.kind());
          m.put("partner", latest.partner());
          m.put("category", latest.category());
          m.put("versions", defs.stream().map(Definition::version).toList());
          m.put("latest", latest.version());
          m.put("actions", latest.actionNames());
          m.put("auth", latest.authKind());
          m.put("required_settings", latest.requiredSettings());
          m.put("secret_settings", latest.secretSettings());
          out.add(m);
        });
    return out;
  }

  /**
   * The catalog: every installed plugin connector with a settings schema and the newest version of
   * every installed definition, as {@link Catalog} describes them (the columns of docs/catalog.md,
   * and each setting's description, example, format and secrecy for the console's form).
   */
  private void catalog(Context ctx) {
    List<Catalog.Entry> entries = new ArrayList<>();
    for (ConnectorInfo c : backend.connectors()) {
      if (c.settingsSchema() != null) {
        entries.add(
            Catalog.ofConnector(
                c.id(), c.id(), c.version(), c.kind(), "", c.kind(), c.settingsSchema()));
      }
    }
    Map<String, Definition> latest = new TreeMap<>();
    for (Definition d : backend.definitions()) {
      latest.merge(d.id(), d, (a, b) -> compareVersions(a.version(), b.version()) >= 0 ? a : b);
    }
    latest.values().forEach(d -> entries.add(Catalog.of(d)));
    List<Map<String, Object>> out = new ArrayList<>();
    for (Catalog.Entry e : Catalog.sorted(entries)) {
      Map<String, Object> m = HttpJson.MAPPER.convertValue(e, Map.class);
      out.add(m);
    }
    HttpJson.ok(ctx, Map.of("entries", out));
  }

  private void definitions(Context ctx) {
    HttpJson.ok(ctx, definitionList());
  }

  private void validate(Context ctx) {
    String id = ctx.pathParam("id");
    String schema = settingsSchema(id);
    JsonNode settings = HttpJson.body(ctx);
    if (settings.has("settings") && settings.size() == 1 && settings.get("settings").isObject()) {
      settings = settings.get("settings");
    }
    List<Map<String, Object>> errors =
        schema == null ? List.of() : ApiSettings.validate(schema, settings);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("connector", id);
    out.put("valid", errors.isEmpty());
    out.put("errors", errors);
    HttpJson.ok(ctx, out);
  }

  private String settingsSchema(String id) {
    Optional<ConnectorInfo> plugin =
        backend.connectors().stream().filter(c -> c.id().equals(id)).findFirst();
    if (plugin.isPresent()) {
      return plugin.get().settingsSchema();
    }
    return backend.definitions().stream()
        .filter(d -> d.id().equals(id))
        .max(Comparator.comparing(Definition::version, ConnectorsApi::compareVersions))
        .map(Definition::settingsSchema)
        .orElseThrow(() -> new NoSuchElementException("no connector or definition '" + id + "'"));
  }

  private void dryRun(Context ctx) {
    String id = ctx.pathParam("id");
    JsonNode body = HttpJson.body(ctx);
    String version = body.hasNonNull("version") ? body.get("version").asText() : null;
    Definition def =
        backend.definitions().stream()
            .filter(d -> d.id().equals(id) && (version == null || d.version().equals(version)))
            .max(Comparator.comparing(Definition::version, ConnectorsApi::compareVersions))
            .orElseThrow(
                () ->
                    new NoSuchElementException(
                        "no definition '"
                            + id
                            + "'"
                            + (version == null ? "" : " version " + version)));
    @SuppressWarnings("unchecked")
    Map<String, Object> settings =
        body.has("settings")
            ? HttpJson.MAPPER.convertValue(body.get("settings"), Map.class)
            : new LinkedHashMap<>();
    JsonNode eventsNode = body.path("events");
    if (!eventsNode.isArray() || eventsNode.isEmpty()) {
      throw new IllegalArgumentException("events must be a non-empty array of event objects");
    }
    List<Event> events = new ArrayList<>();
    List<Integer> given = new ArrayList<>();
    Map<Integer, String> invalid = new TreeMap<>();
    for (int i = 0; i < eventsNode.size(); i++) {
      try {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = HttpJson.MAPPER.convertValue(eventsNode.get(i), Map.class);
        events.add(Event.fromMap(m));
        given.add(i);
      } catch (RuntimeException e) {
        invalid.put(i, String.valueOf(e.getMessage()));
      }
    }
    DryRun.Result result;
    try {
      result = DryRun.render(def, settings, events, null, System.currentTimeMillis());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cannot render: " + e.getMessage());
    }
    List<Map<String, Object>> requests = new ArrayList<>();
    for (DryRun.Rendered r : result.requests()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("action", r.action());
      m.put("method", r.method());
      m.put("url", r.url());
      m.put("headers", r.headers());
      m.put("body", r.body());
      m.put("events", r.events().stream().map(given::get).toList());
      requests.add(m);
    }
    Map<String, Object> rejected = new TreeMap<>();
    result.rejected().forEach((i, why) -> rejected.put(String.valueOf(given.get(i)), why));
    invalid.forEach((i, why) -> rejected.put(String.valueOf(i), "invalid event: " + why));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("definition", def.id());
    out.put("version", def.version());
    if (result.token() != null) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("method", result.token().method());
      t.put("url", result.token().url());
      t.put("headers", result.token().headers());
      t.put("body", result.token().body());
      t.put("caching", result.token().caching());
      out.put("token_request", t);
    }
    out.put("requests", requests);
    out.put("skipped", result.skipped().stream().map(given::get).toList());
    out.put("rejected", rejected);
    HttpJson.ok(ctx, out);
  }

  /** Semantic-version order of {@code a.b.c[-pre]} strings; falls back to text order. */
  static int compareVersions(String a, String b) {
    String[] x = a.split("[.-]");
    String[] y = b.split("[.-]");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      try {
        int c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
        if (c != 0) {
          return c;
        }
      } catch (NumberFormatException e) {
        int c = x[i].compareTo(y[i]);
        if (c != 0) {
          return c;
        }
      }
    }
    // Same numbers so far: a pre-release (more parts, 1.0.0-rc1) sorts before its release (1.0.0).
    return Integer.compare(y.length, x.length);
  }
}
