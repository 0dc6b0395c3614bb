package dev.weir.definitions;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the catalog says about each connector: one {@link Entry} per definition or Java connector,
 * derived from the definition (or the connector's settings schema) and rendered the same way for
 * {@code docs/catalog.md}, {@code weir connector list} and the console's catalog page. Stateless.
 */
public final class Catalog {
  private Catalog() {}

  /** One setting as a user fills it in. */
  public record Setting(
      String name,
      String type,
      boolean required,
      boolean secret,
      String description,
      String example,
      String format,
      String defaultValue) {}

  /**
   * One catalog row. {@code origin} is {@code definition} or {@code java}; {@code deletion} names
   * how user deletion is forwarded, or is empty when it is not.
   */
  public record Entry(
      String id,
      String name,
      String version,
      String origin,
      String category,
      String partner,
      String description,
      String docsUrl,
      String auth,
      String batching,
      String deletion,
      List<Setting> settings) {}

  /** The catalog entry of a definition. */
  public static Entry of(Definition d) {
    Set<String> auth = new LinkedHashSet<>();
    auth.add(describe(d.auth));
    String deletion = "";
    for (DefinitionModel.Action a : d.actions) {
      if (a.auth() != null) {
        auth.add(a.name() + ": " + describe(a.auth()));
      }
      if (a.name().equals("delete_user")) {
        deletion = "delete_user: " + a.method() + " " + path(a.url().source());
      }
    }
    DeliverySettings s = d.delivery();
    String batching =
        s.batched()
            ? "batch, up to "
                + s.maxEvents()
                + " events"
                + (s.maxBytes() > 0 ? " / " + bytes(s.maxBytes()) : "")
            : "stream, one event per request";
    if (s.requestsPerSecond() > 0) {
      batching += "; " + trim(s.requestsPerSecond()) + " req/s";
    }
    return new Entry(
        d.id(),
        d.name(),
        d.version(),
        "definition",
        d.category(),
        d.partner(),
        d.meta.description() == null ? "" : d.meta.description(),
        d.meta.docsUrl() == null ? "" : d.meta.docsUrl(),
        String.join("; ", auth),
        batching,
        deletion,
        settings(d.settingsSchema()));
  }

  /** The catalog entry of a Java connector, from its spec's settings schema. */
  public static Entry ofConnector(
      String id,
      String name,
      String version,
      String category,
      String description,
      String batching,
      String settingsSchema) {
    return new Entry(
        id,
        name,
        version,
        "java",
        category,
        "Weir",
        description,
        "",
        "see settings",
        batching,
        "",
        settings(settingsSchema));
  }

  /** The settings of a JSON Schema's top-level properties, in declaration order. */
  public static List<Setting> settings(String schemaJson) {
    List<Setting> out = new ArrayList<>();
    if (schemaJson == null || schemaJson.isBlank()) {
      return out;
    }
    JsonNode schema;
    try {
      schema = RequestPlanner.JSON.readTree(schemaJson);
    } catch (Exception e) {
      return out;
    }
    Set<String> required = new LinkedHashSet<>();
    schema.path("required").forEach(r -> required.add(r.asText()));
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      JsonNode v = p.getValue();
      JsonNode ex = v.path("examples");
      String example =
          ex.isArray() && ex.size() > 0
              ? (ex.get(0).isTextual() ? ex.get(0).asText() : ex.get(0).toString())
              : "";
      String type =
          v.has("type")
              ? v.path("type").asText()
              : v.has("enum") ? "enum" : v.has("const") ? "const" : "";
      if (v.has("enum")) {
        List<String> values = new ArrayList<>();
        v.path("enum").forEach(e -> values.add(e.asText()));
        type = type + " (" + String.join(" | ", values) + ")";
      }
      out.add(
          new Setting(
              p.getKey(),
              type,
              required.contains(p.getKey()),
              v.path("secret").asBoolean(false),
              v.path("description").asText(""),
              example,
              v.path("format").asText(v.has("pattern") ? "pattern" : ""),
              v.has("default")
                  ? (v.get("default").isTextual()
                      ? v.get("default").asText()
                      : v.get("default").toString())
                  : ""));
    }
    return out;
  }

  /** Settings lacking a description, an example or a format, as {@code name: what is missing}. */
  public static List<String> incompleteSettings(Entry e) {
    List<String> out = new ArrayList<>();
    for (Setting s : e.settings()) {
      List<String> missing = new ArrayList<>();
      if (s.description().isBlank()) {
        missing.add("description");
      }
      if (s.example().isBlank()) {
        missing.add("examples");
      }
      if (s.format().isBlank()) {
        missing.add("format");
      }
      if (!missing.isEmpty()) {
        out.add(e.id() + ": setting '" + s.name() + "' has no " + String.join(", ", missing));
      }
    }
    return out;
  }

  /** Entries sorted by category, then id. */
  public static List<Entry> sorted(List<Entry> entries) {
    List<Entry> out = new ArrayList<>(entries);
    out.sort(Comparator.comparing(Entry::category).thenComparing(Entry::id));
    return out;
  }

  /** The columns of the overview, shared by the markdown and the CLI table. */
  static final List<String> COLUMNS =
      List.of("id", "name", "category", "auth", "batching", "deletion", "settings");

  static List<String> row(Entry e) {
    List<String> names = new ArrayList<>();
    for (Setting s : e.settings()) {
      names.add(s.name() + (s.required() ? "*" : "") + (s.secret() ? " (secret)" : ""));
    }
    return List.of(
        e.id(),
        e.name() + " " + e.version(),
        e.category(),
        e.auth(),
        e.batching(),
        e.deletion().isEmpty() ? "no" : e.deletion(),
        String.join(", ", names));
  }

  /** A plain-text table (what {@code weir connector list} prints). */
  public static String table(List<Entry> entries) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(COLUMNS.stream().map(c -> c.toUpperCase(Locale.ROOT)).toList());
    for (Entry e : sorted(entries)) {
      rows.add(row(e));
    }
    int[] width = new int[COLUMNS.size()];
    for (List<String> r : rows) {
      for (int i = 0; i < r.size(); i++) {
        width[i] = Math.max(width[i], Math.min(r.get(i).length(), i == 6 ? 200 : 60));
      }
    }
    StringBuilder sb = new StringBuilder();
    for (List<String> r : rows) {
      for (int i = 0; i < r.size(); i++) {
        String cell = r.get(i);
        sb.append(i == r.size() - 1 ? cell : String.format("%-" + width[i] + "s  ", cell));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** The catalog as markdown: an overview table, then each entry's settings. */
  public static String markdown(List<Entry> entries) {
    List<Entry> all = sorted(entries);
    StringBuilder sb = new StringBuilder();
    sb.append("# Connector catalog\n\n")
        .append(
            "<!-- GENERATED from portal-config-examples/definitions/*.yaml and the connectors' settings"
                + " schemas by\n     dev.weir.definitions.Catalog; do not edit. Regenerate: mvn -pl"
                + " framework/definitions test\n     -Dtest=CatalogDocTest -Dweir.catalog.write=true"
                + " (CatalogDocTest fails while this file is stale). -->\n\n")
        .append(
            "Every destination Weir ships: partner definitions (YAML, `weir connector test <file>`"
                + " runs their\nfixtures offline) and Java connectors. `weir connector list` prints"
                + " the same overview.\nSettings marked * are required; secret settings take a"
                + " reference such as `${env:NAME}`, never the value.\n\n")
        .append(all.size())
        .append(" entries.\n\n");
    sb.append("| ").append(String.join(" | ", COLUMNS)).append(" |\n");
    sb.append("|").append("---|".repeat(COLUMNS.size())).append('\n');
    for (Entry e : all) {
      List<String> r = new ArrayList<>(row(e));
      r.set(0, "[`" + e.id() + "`](#" + e.id() + ")");
      sb.append("| ")
          .append(String.join(" | ", r.stream().map(Catalog::cell).toList()))
          .append(" |\n");
    }
    for (Entry e : all) {
      sb.append("\n## ").append(e.id()).append("\n\n");
      sb.append("**").append(e.name()).append("** ").append(e.version());
      sb.append(" · ").append(e.category());
      sb.append(" · ").append(e.origin().equals("java") ? "Java connector" : "partner definition");
      if (!e.partner().isBlank()) {
        sb.append(" · ").append(e.partner());
      }
      sb.append("\n\n");
      if (!e.description().isBlank()) {
        sb.append(e.description()).append("\n\n");
      }
      if (!e.docsUrl().isBlank()) {
        sb.append("Reference: ").append(e.docsUrl()).append("\n\n");
      }
      sb.append("- auth: ").append(e.auth()).append('\n');
      sb.append("- batching: ").append(e.batching()).append('\n');
      sb.append("- user deletion: ")
          .append(e.deletion().isEmpty() ? "not forwarded" : e.deletion())
          .append("\n\n");
      if (!e.settings().isEmpty()) {
        sb.append(
            "| setting | type | required | secret | format | description | example | default |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (Setting s : e.settings()) {
          sb.append("| `")
              .append(s.name())
              .append("` | ")
              .append(cell(s.type()))
              .append(" | ")
              .append(s.required() ? "yes" : "")
              .append(" | ")
              .append(s.secret() ? "secret" : "")
              .append(" | ")
              .append(cell(s.format()))
              .append(" | ")
              .append(cell(s.description()))
              .append(" | ")
              .append(s.example().isEmpty() ? "" : "`" + s.example().replace("|", "\\|") + "`")
              .append(" | ")
              .append(
                  s.defaultValue().isEmpty()
                      ? ""
                      : "`" + s.defaultValue().replace("|", "\\|") + "`")
              .append(" |\n");
        }
      }
    }
    return sb.toString();
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }

  private static String describe(DefinitionModel.Auth a) {
    if (a == null) {
      return "none";
    }
    return switch (a.kind()) {
      case "api_key" ->
          "api_key (" + a.option("in", "header") + " " + a.option("name", "X-Api-Key") + ")";
      case "oauth2" -> "oauth2 (" + a.option("grant", "client_credentials") + ")";
      case "hmac" ->
          "hmac (" + a.option("algorithm", "sha256") + ", " + a.option("header", "") + ")";
      default -> a.kind();
    };
  }

  /** The path of a URL template, its expressions shown as {setting}. */
  private static String path(String url) {
    String readable = url.replaceAll("\\{\\{\\s*settings\\.([a-z0-9_]+)\\s*}}", "{$1}");
    readable = readable.replaceAll("\\{\\{[^}]*}}", "{...}");
    if (readable.startsWith("{")) {
      int slash = readable.indexOf('/');
      return slash < 0 ? "the " + readable + " URL" : readable.substring(slash);
    }
    int slash = readable.indexOf('/', readable.indexOf("//") + 2);
    return slash < 0 ? readable : readable.substring(slash);
  }

  private static String bytes(long b) {
    return b >= 1_000_000 ? trim(b / 1_000_000.0) + " MB" : trim(b / 1000.0) + " KB";
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
