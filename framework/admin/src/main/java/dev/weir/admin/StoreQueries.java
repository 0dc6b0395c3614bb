package dev.weir.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.weir.realtime.AudienceQuery;
import dev.weir.realtime.Filter;
import dev.weir.realtime.FunnelQuery;
import dev.weir.realtime.FunnelResult;
import dev.weir.realtime.QueryTooLargeException;
import dev.weir.realtime.RealtimeStore;
import dev.weir.realtime.RetentionQuery;
import dev.weir.realtime.RetentionResult;
import dev.weir.realtime.SegmentationQuery;
import dev.weir.realtime.SegmentationResult;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The store query language of {@code POST /api/v1/store/query} and {@code weir query}: a JSON body
 * validated against the {@code StoreQuery} schema of the OpenAPI file (declared once there), turned
 * into the store's query types, run, and rendered as JSON-ready maps. Every error names the JSON
 * path it is about. Stateless; thread-safe.
 */
public final class StoreQueries {
  private static final Schema SCHEMA = loadSchema();
  private static final int MAX_DEPTH = 6;

  private StoreQueries() {}

  /** A query body that does not validate: one {@code {path, message}} per problem. */
  public static final class Invalid extends IllegalArgumentException {
    private final List<Map<String, Object>> errors;

    Invalid(List<Map<String, Object>> errors) {
      super(summary(errors));
      this.errors = List.copyOf(errors);
    }

    Invalid(String path, String message) {
      this(List.of(error(path, message)));
    }

    public List<Map<String, Object>> errors() {
      return errors;
    }

    private static String summary(List<Map<String, Object>> errors) {
      StringBuilder sb = new StringBuilder("invalid query: ");
      for (int i = 0; i < errors.size(); i++) {
        sb.append(i == 0 ? "" : "; ")
            .append(errors.get(i).get("path"))
            .append(": ")
            .append(errors.get(i).get("message"));
      }
      return sb.toString();
    }
  }

  private static Map<String, Object> error(String path, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", path);
    m.put("message", message);
    return m;
  }

  private static Schema loadSchema() {
    try (InputStream in = StoreQueries.class.getResourceAsStream("openapi.json")) {
      JsonNode schema = HttpJson.MAPPER.readTree(in).at("/components/schemas/StoreQuery");
      SchemaRegistry registry =
          SchemaRegistry.withDefaultDialect(
              SpecificationVersion.DRAFT_2020_12,
              b -> b.schemaLoader(loader -> loader.fetchRemoteResources(false)));
      return registry.getSchema(
          SchemaLocation.of("https://weir.invalid/schemas/store-query.json"), schema);
    } catch (IOException e) {
      throw new IllegalStateException("openapi.json is unreadable", e);
    }
  }

  /** Validates {@code body} against the schema; throws {@link Invalid} listing every error. */
  static void validate(JsonNode body) {
    if (depth(body, 0) > 2 * MAX_DEPTH + 6) {
      throw new Invalid("$", "filters nest deeper than " + MAX_DEPTH + " levels");
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Error e : SCHEMA.validate(body)) {
      String path = "$" + String.valueOf(e.getInstanceLocation()).replace('/', '.');
      if (e.getProperty() != null
          && ("required".equals(e.getKeyword()) || "additionalProperties".equals(e.getKeyword()))) {
        path = path + "." + e.getProperty();
      }
      path = path.replaceAll("\\.(\\d+)(?=\\.|$)", "[$1]");
      out.add(error(path, e.getMessage()));
      if (out.size() >= 20) {
        break;
      }
    }
    if (!out.isEmpty()) {
      throw new Invalid(out);
    }
  }

  private static int depth(JsonNode n, int d) {
    if (d > 64) {
      return d;
    }
    int max = d;
    for (JsonNode c : n) {
      max = Math.max(max, depth(c, d + 1));
    }
    return max;
  }

  /** Validates and runs a query; the answer as maps and lists (see docs/admin-api.md). */
  public static Map<String, Object> run(RealtimeStore store, JsonNode q) {
    validate(q);
    String type = q.path("type").asText();
    long to = millis(q, "to", System.currentTimeMillis() + 1);
    long from = millis(q, "from", to - 86_400_000L);
    if (from >= to) {
      throw new Invalid("$.from", "from must be before to");
    }
    List<String> sources = strings(q.path("sources"));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("type", type);
    out.put("from", Instant.ofEpochMilli(from).toString());
    out.put("to", Instant.ofEpochMilli(to).toString());
    try {
      switch (type) {
        case "segmentation" -> segmentation(store, q, from, to, sources, out);
        case "funnel" -> funnel(store, q, from, to, sources, out);
        case "retention" -> retention(store, q, from, to, sources, out);
        default ->
            out.put(
                "users",
                store.audience(
                    new AudienceQuery(
                        text(q, "event_type"),
                        filters(q.path("filters"), "$.filters", 0),
                        from,
                        to,
                        sources)));
      }
    } catch (QueryTooLargeException e) {
      throw new Invalid("$", e.getMessage());
    }
    return out;
  }

  private static void segmentation(
      RealtimeStore store,
      JsonNode q,
      long from,
      long to,
      List<String> sources,
      Map<String, Object> out) {
    SegmentationQuery.Metric metric = enumOf(SegmentationQuery.Metric.class, q, "metric", "count");
    String metricProperty = text(q, "metric_property");
    if (metric.ordinal() >= SegmentationQuery.Metric.SUM.ordinal() && metricProperty == null) {
      throw new Invalid("$.metric_property", "metric " + q.path("metric").asText() + " needs it");
    }
    SegmentationQuery.Bucket bucket = enumOf(SegmentationQuery.Bucket.class, q, "bucket", "hour");
    long buckets = (to - 1) / bucket.millis() - from / bucket.millis() + 1;
    if (buckets > 100_000) {
      throw new Invalid("$.bucket", buckets + " buckets in the range, at most 100000");
    }
    SegmentationResult r =
        store.segmentation(
            new SegmentationQuery(
                text(q, "event_type"),
                filters(q.path("filters"), "$.filters", 0),
                from,
                to,
                bucket,
                metric,
                text(q, "group_by"),
                metricProperty,
                q.path("limit").asInt(0),
                sources));
    out.put("groups", r.groups());
    Map<String, Object> series = new LinkedHashMap<>();
    r.values().forEach((g, bs) -> series.put(g, bs));
    out.put("series", series);
    out.put("totals", r.totals());
  }

  private static void funnel(
      RealtimeStore store,
      JsonNode q,
      long from,
      long to,
      List<String> sources,
      Map<String, Object> out) {
    if (!q.has("steps")) {
      throw new Invalid("$.steps", "a funnel needs steps");
    }
    List<FunnelQuery.Step> steps = new ArrayList<>();
    int i = 0;
    for (JsonNode s : q.path("steps")) {
      steps.add(step(s, "$.steps[" + i++ + "]"));
    }
    FunnelResult r =
        store.funnel(
            new FunnelQuery(
                steps,
                from,
                to,
                q.path("conversion_window_ms").asLong(86_400_000L),
                text(q, "hold_constant"),
                sources));
    out.put("users_per_step", r.usersPerStep());
    out.put("median_ms_to_step", r.medianMillisToStep());
    List<Double> rates = new ArrayList<>();
    for (long n : r.usersPerStep()) {
      long first = r.usersPerStep().get(0);
      rates.add(first == 0 ? 0.0 : (double) n / first);
    }
    out.put("conversion", rates);
  }

  private static void retention(
      RealtimeStore store,
      JsonNode q,
      long from,
      long to,
      List<String> sources,
      Map<String, Object> out) {
    for (String f : List.of("start", "returning")) {
      if (!q.has(f)) {
        throw new Invalid("$." + f, "retention needs a " + f + " step");
      }
    }
    RetentionResult r =
        store.retention(
            new RetentionQuery(
                step(q.path("start"), "$.start"),
                step(q.path("returning"), "$.returning"),
                from,
                to,
                enumOf(SegmentationQuery.Bucket.class, q, "bucket", "day"),
                q.path("periods").asInt(7),
                sources));
    List<Map<String, Object>> cohorts = new ArrayList<>();
    for (RetentionResult.Cohort c : r.cohorts()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("start", c.start());
      m.put("users", c.users());
      m.put("returned", c.returned());
      cohorts.add(m);
    }
    out.put("cohorts", cohorts);
  }

  private static FunnelQuery.Step step(JsonNode s, String path) {
    return new FunnelQuery.Step(
        text(s, "event_type"), filters(s.path("filters"), path + ".filters", 0));
  }

  static List<Filter> filters(JsonNode node, String path, int depth) {
    List<Filter> out = new ArrayList<>();
    int i = 0;
    for (JsonNode f : node) {
      out.add(filter(f, path + "[" + i++ + "]", depth));
    }
    return out;
  }

  private static Filter filter(JsonNode f, String path, int depth) {
    if (depth >= MAX_DEPTH) {
      throw new Invalid(path, "filters nest deeper than " + MAX_DEPTH + " levels");
    }
    if (f.has("and")) {
      return Filter.and(filters(f.get("and"), path + ".and", depth + 1));
    }
    if (f.has("or")) {
      return Filter.or(filters(f.get("or"), path + ".or", depth + 1));
    }
    Filter.Op op = Filter.Op.valueOf(f.path("op").asText().toUpperCase(Locale.ROOT));
    List<Object> values = new ArrayList<>();
    if (f.has("value")) {
      values.add(scalar(f.get("value")));
    }
    for (JsonNode v : f.path("values")) {
      values.add(scalar(v));
    }
    try {
      return new Filter(f.path("property").asText(), op, values);
    } catch (IllegalArgumentException e) {
      throw new Invalid(path, e.getMessage());
    }
  }

  private static Object scalar(JsonNode v) {
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return v.asLong();
    }
    if (v.isNumber()) {
      return v.asDouble();
    }
    return v.isBoolean() ? (Object) v.asBoolean() : v.asText();
  }

  private static <E extends Enum<E>> E enumOf(
      Class<E> type, JsonNode q, String field, String dflt) {
    return Enum.valueOf(type, q.path(field).asText(dflt).toUpperCase(Locale.ROOT));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.forEach(v -> out.add(v.asText()));
    return out;
  }

  private static long millis(JsonNode n, String field, long dflt) {
    try {
      Instant i = HttpJson.instant(n, field);
      return i == null ? dflt : i.toEpochMilli();
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      throw new Invalid("$." + field, e.getMessage());
    }
  }
}
