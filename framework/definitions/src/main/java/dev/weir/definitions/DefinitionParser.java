package dev.weir.definitions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.Event;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one definition file: structure against the format's JSON Schema, then semantic checks
 * (expressions compile, every {@code settings.x} exists, secrets are marked, triggers, fixtures,
 * delivery), collecting every problem with its file, line and path before failing. Stateless and
 * thread-safe.
 */
final class DefinitionParser {
  static final String SCHEMA_RESOURCE = "partner-definition.schema.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YamlSchemaCheck SCHEMA =
      YamlSchemaCheck.fromResource(DefinitionParser.class, SCHEMA_RESOURCE);

  /**
   * {@code settings.x}, {@code $settings.x} or {@code $$.settings.x}, not {@code event.settings.x}.
   */
  private static final Pattern SETTINGS_REF =
      Pattern.compile("(?<![A-Za-z0-9_.$])(?:\\$\\$\\.|\\$)?settings\\.([A-Za-z_][A-Za-z0-9_]*)");

  private static final Set<String> SECRET_AUTH_FIELDS =
      Set.of("value", "password", "token", "key", "client_secret", "refresh_token");

  private DefinitionParser() {}

  static Definition parse(String file, String text) throws DefinitionException {
    LocatedYaml doc = LocatedYaml.parse(file, text);
    List<Problem> problems = new ArrayList<>(doc.problems);
    if (doc.root == null) {
      throw new DefinitionException(problems);
    }
    if (!doc.root.isObject()) {
      problems.add(
          doc.problem(
              "",
              "expected a mapping with apiVersion, kind, metadata, ...; got "
                  + doc.root.getNodeType().toString().toLowerCase()));
      throw new DefinitionException(problems);
    }
    problems.addAll(SCHEMA.validate(doc));
    Checker c = new Checker(doc, problems);
    Definition d = c.build();
    if (!problems.isEmpty()) {
      problems.sort(
          Comparator.comparingInt(Problem::line)
              .thenComparingInt(Problem::column)
              .thenComparing(Problem::message));
      throw new DefinitionException(dedupe(problems));
    }
    return d;
  }

  private static List<Problem> dedupe(List<Problem> problems) {
    return new ArrayList<>(new LinkedHashSet<>(problems));
  }

  /** Semantic checks and model building; every lookup tolerates a structurally broken tree. */
  private static final class Checker {
    private final LocatedYaml doc;
    private final List<Problem> problems;
    private final JsonNode root;
    private final Set<String> declaredSettings = new LinkedHashSet<>();
    private final Set<String> secretSettings = new HashSet<>();
    private final Set<String> usedSettings = new HashSet<>();

    Checker(LocatedYaml doc, List<Problem> problems) {
      this.doc = doc;
      this.problems = problems;
      this.root = doc.root;
    }

    private void fail(String path, String message) {
      problems.add(doc.problem(path, message));
    }

    Definition build() {
      String kind = root.path("kind").asText("");
      JsonNode meta = root.path("metadata");
      DefinitionModel.Meta m =
          new DefinitionModel.Meta(
              meta.path("id").asText(""),
              meta.path("name").asText(""),
              meta.path("version").asText("0.0.0"),
              meta.path("partner").asText(""),
              meta.path("category").asText(""),
              text(meta, "description"),
              text(meta, "docs_url"),
              text(meta, "logo"));
      JsonNode settings = root.path("settings");
      Set<String> required = new LinkedHashSet<>();
      if (settings.path("properties").isObject()) {
        for (Iterator<Map.Entry<String, JsonNode>> it = settings.path("properties").fields();
            it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          declaredSettings.add(e.getKey());
          if (e.getValue().path("secret").asBoolean(false)) {
            secretSettings.add(e.getKey());
          }
        }
      }
      JsonNode req = settings.path("required");
      for (int i = 0; i < req.size(); i++) {
        String name = req.get(i).asText();
        required.add(name);
        if (!declaredSettings.contains(name)) {
          fail(
              "/settings/required/" + i,
              "required setting '"
                  + name
                  + "' is not declared under settings.properties"
                  + declaredList());
        }
      }
      JsonNode schema =
          settings.isObject()
              ? settings
              : JSON.createObjectNode()
                  .put("type", "object")
                  .set("properties", JSON.createObjectNode());
      DefinitionModel.Auth auth = auth(root.path("auth"), "/auth");
      List<DefinitionModel.Action> actions = actions(root.path("requests"));
      DeliverySettings delivery = delivery(root.path("delivery"));
      Template batchKey =
          template(root.path("delivery").path("batch").path("key"), "/delivery/batch/key");
      DefinitionModel.Responses responses = responses(root.path("responses"));
      DefinitionModel.Source source = source(root.path("source"));
      List<DefinitionModel.Fixture> fixtures =
          fixtures(root.path("tests"), required, "Destination".equals(kind));
      if ("Source".equals(kind) && root.has("requests")) {
        fail("/requests", "a Source has no requests; describe polling under 'source'");
      }
      if ("Destination".equals(kind) && root.has("source")) {
        fail("/source", "a Destination has no 'source' section; it belongs to kind: Source");
      }
      Set<String> unused = new LinkedHashSet<>(declaredSettings);
      unused.removeAll(usedSettings);
      return new Definition(
          doc.file(),
          kind,
          m,
          schema,
          secretSettings,
          required,
          auth,
          actions,
          delivery,
          responses,
          source,
          fixtures,
          batchKey,
          unused);
    }

    private String declaredList() {
      return declaredSettings.isEmpty()
          ? " (no settings are declared)"
          : " (declared: " + String.join(", ", declaredSettings) + ")";
    }

    private static String text(JsonNode n, String field) {
      JsonNode v = n.get(field);
      return v == null || !v.isTextual() ? null : v.asText();
    }

    /**
     * Compiles a JSONata expression at {@code path}, reporting failures and unknown settings; null
     * if absent.
     */
    private Template template(JsonNode n, String path) {
      if (n == null || !n.isTextual()) {
        return null;
      }
      checkRefs(n.asText(), path);
      try {
        return Template.compile(n.asText());
      } catch (TemplateException e) {
        fail(path, "expected a JSONata expression; it " + e.getMessage());
        return null;
      }
    }

    private TextTemplate textTemplate(JsonNode n, String path) {
      if (n == null || !n.isTextual()) {
        return null;
      }
      checkRefs(n.asText(), path);
      try {
        return TextTemplate.compile(n.asText());
      } catch (TemplateException e) {
        fail(path, "expected text with {{ JSONata }} parts; " + e.getMessage());
        return null;
      }
    }

    private void checkRefs(String source, String path) {
      Matcher mt = SETTINGS_REF.matcher(source);
      while (mt.find()) {
        usedSettings.add(mt.group(1));
        if (!declaredSettings.contains(mt.group(1))) {
          fail(
              path,
              "refers to settings."
                  + mt.group(1)
                  + ", which is not declared under settings.properties"
                  + declaredList());
        }
      }
    }

    private Map<String, TextTemplate> textMap(JsonNode n, String path) {
      Map<String, TextTemplate> out = new LinkedHashMap<>();
      if (n.isObject()) {
        n.fields()
            .forEachRemaining(
                e -> {
                  TextTemplate t =
                      textTemplate(e.getValue(), path + "/" + LocatedYaml.escape(e.getKey()));
                  if (t != null) {
                    out.put(e.getKey(), t);
                  }
                });
      }
      return out;
    }

    private DefinitionModel.Auth auth(JsonNode a, String base) {
      if (!a.isObject()) {
        return new DefinitionModel.Auth("none", Map.of(), Map.of(), null);
      }
      String kind = a.path("kind").asText("none");
      Map<String, TextTemplate> texts = new LinkedHashMap<>();
      Map<String, String> options = new LinkedHashMap<>();
      a.fields()
          .forEachRemaining(
              e -> {
                String k = e.getKey();
                String path = base + "/" + k;
                if (k.equals("scope") && e.getValue().isArray()) {
                  List<String> scopes = new ArrayList<>();
                  e.getValue().forEach(v -> scopes.add(v.asText()));
                  options.put(k, String.join(" ", scopes));
                  return;
                }
                if (k.equals("payload") || !e.getValue().isTextual()) {
                  return;
                }
                if (Set.of(
                        "value",
                        "username",
                        "password",
                        "token",
                        "key",
                        "token_url",
                        "client_id",
                        "client_secret",
                        "refresh_token",
                        "audience")
                    .contains(k)) {
                  TextTemplate t = textTemplate(e.getValue(), path);
                  if (t != null) {
                    texts.put(k, t);
                  }
                  if (SECRET_AUTH_FIELDS.contains(k)) {
                    Matcher mt = SETTINGS_REF.matcher(e.getValue().asText());
                    boolean any = false;
                    while (mt.find()) {
                      any = true;
                      if (declaredSettings.contains(mt.group(1))
                          && !secretSettings.contains(mt.group(1))) {
                        fail(
                            path,
                            "uses settings."
                                + mt.group(1)
                                + " as a credential, so that setting must be marked "
                                + "secret: true");
                      }
                    }
                    if (!any && !(kind.equals("oauth2") && k.equals("refresh_token"))) {
                      fail(
                          path,
                          "a credential must come from a secret setting ({{ settings.x }}), not be written in the "
                              + "definition");
                    }
                  }
                } else {
                  options.put(k, e.getValue().asText());
                }
              });
      Template payload = template(a.get("payload"), base + "/payload");
      return new DefinitionModel.Auth(kind, texts, options, payload);
    }

    /** An action's own auth, replacing the definition's for that action; oauth2 stays top-level. */
    private DefinitionModel.Auth actionAuth(JsonNode a, String path) {
      if (a == null || !a.isObject()) {
        return null;
      }
      if ("oauth2".equals(a.path("kind").asText())) {
        fail(
            path + "/kind",
            "oauth2 can only be the definition's auth (its tokens are kept per connection); use "
                + "api_key, basic, bearer or hmac here");
      }
      return auth(a, path);
    }

    private List<DefinitionModel.Action> actions(JsonNode reqs) {
      List<DefinitionModel.Action> out = new ArrayList<>();
      Set<String> names = new HashSet<>();
      for (int i = 0; i < reqs.size(); i++) {
        JsonNode r = reqs.get(i);
        String p = "/requests/" + i;
        String name = r.path("name").asText("");
        if (!name.isEmpty() && !names.add(name)) {
          fail(p + "/name", "duplicate action name '" + name + "'; action names must be unique");
        }
        Set<String> types = new LinkedHashSet<>();
        JsonNode et = r.path("trigger").path("event_types");
        for (int j = 0; j < et.size(); j++) {
          if (!types.add(et.get(j).asText())) {
            fail(
                p + "/trigger/event_types/" + j,
                "event type '" + et.get(j).asText() + "' is listed twice");
          }
        }
        Template where = template(r.path("trigger").get("where"), p + "/trigger/where");
        TextTemplate url = textTemplate(r.get("url"), p + "/url");
        if (url != null
            && !r.path("url").asText().startsWith("http://")
            && !r.path("url").asText().startsWith("https://")
            && !r.path("url").asText().startsWith("{{")) {
          fail(
              p + "/url",
              "expected an absolute http:// or https:// URL, got '" + r.path("url").asText() + "'");
        }
        Map<String, TextTemplate> headers = textMap(r.path("headers"), p + "/headers");
        Map<String, TextTemplate> query = textMap(r.path("query"), p + "/query");
        Template body = template(r.get("body"), p + "/body");
        String method = r.path("method").asText("POST");
        if (body != null && (method.equals("GET") || method.equals("DELETE"))) {
          fail(
              p + "/body", method + " requests carry no body; remove 'body' or use POST/PUT/PATCH");
        }
        out.add(
            new DefinitionModel.Action(
                name,
                types,
                where,
                method,
                url,
                headers,
                query,
                body,
                r.path("body_format").asText("json"),
                actionAuth(r.get("auth"), p + "/auth"),
                r.path("max_events").asInt(0)));
      }
      return out;
    }

    private DeliverySettings delivery(JsonNode d) {
      String mode = d.path("mode").asText("batch");
      JsonNode b = d.path("batch");
      int maxEvents = b.path("max_events").asInt(mode.equals("stream") ? 1 : 100);
      if (mode.equals("stream") && maxEvents > 1) {
        fail(
            "/delivery/batch/max_events",
            "mode 'stream' sends one event per request, so max_events must be 1 "
                + "(or use mode: batch)");
      }
      JsonNode r = d.path("retry");
      List<String> success = statuses(r.get("success"), List.of("2xx"));
      List<String> retry = statuses(r.get("retry"), List.of("429", "5xx"));
      List<String> drop = statuses(r.get("drop"), List.of("4xx"));
      overlap("success", success, "retry", retry);
      overlap("success", success, "drop", drop);
      overlap("retry", retry, "drop", drop);
      long maxAge = r.path("max_age_ms").asLong(0);
      return new DeliverySettings(
          mode,
          maxEvents,
          b.path("max_bytes").asLong(0),
          java.time.Duration.ofMillis(
              b.path("max_delay_ms").asLong(mode.equals("stream") ? 0 : 1000)),
          text(b, "key"),
          d.path("rate_limit").path("requests_per_second").asDouble(0),
          d.path("rate_limit").path("events_per_second").asDouble(0),
          success,
          retry,
          drop,
          r.path("max_attempts").asInt(0),
          maxAge == 0 ? null : java.time.Duration.ofMillis(maxAge),
          text(d, "idempotency_header"),
          retryAfter(r.path("retry_after")));
    }

    private DeliverySettings.RetryAfter retryAfter(JsonNode ra) {
      if (!ra.isObject()) {
        return null;
      }
      String p = "/delivery/retry/retry_after";
      if (ra.has("header") == ra.has("body")) {
        fail(
            p,
            "say where the delay is: 'header' (a response header such as X-RateLimit-Reset) or "
                + "'body' (JSONata over the response body), one of them");
      }
      template(ra.get("body"), p + "/body");
      return new DeliverySettings.RetryAfter(
          text(ra, "header"), text(ra, "body"), text(ra, "format"));
    }

    private static List<String> statuses(JsonNode n, List<String> fallback) {
      if (n == null || !n.isArray()) {
        return fallback;
      }
      List<String> out = new ArrayList<>();
      n.forEach(v -> out.add(v.asText()));
      return out;
    }

    private void overlap(String a, List<String> as, String b, List<String> bs) {
      for (String s : as) {
        if (bs.contains(s)) {
          fail(
              "/delivery/retry/" + b,
              "status "
                  + s
                  + " is listed both under '"
                  + a
                  + "' and '"
                  + b
                  + "'; each status has one meaning");
        }
      }
    }

    private DefinitionModel.Responses responses(JsonNode r) {
      if (!r.isObject()) {
        return null;
      }
      if (r.has("errors") && !r.has("index") && !r.has("id")) {
        fail(
            "/responses",
            "say how an error maps back to its event: add 'index' (position in the request) or "
                + "'id' (matched against event_id)");
      }
      return new DefinitionModel.Responses(
          template(r.get("errors"), "/responses/errors"),
          template(r.get("index"), "/responses/index"),
          template(r.get("id"), "/responses/id"),
          template(
              r.has("event_id")
                  ? r.get("event_id")
                  : JSON.getNodeFactory().textNode("event.insert_id"),
              "/responses/event_id"),
          template(r.get("reason"), "/responses/reason"),
          template(r.get("retry_when"), "/responses/retry_when"),
          "delivered".equals(r.path("unlisted").asText("retry")),
          template(r.get("status"), "/responses/status"));
    }

    private DefinitionModel.Source source(JsonNode s) {
      if (!s.isObject()) {
        return null;
      }
      JsonNode rq = s.path("request");
      JsonNode pg = s.path("pagination");
      String kind = pg.path("kind").asText("none");
      if (Set.of("cursor", "offset", "page").contains(kind) && !pg.has("param")) {
        fail(
            "/source/pagination",
            "pagination kind '" + kind + "' needs 'param': the query parameter to set");
      }
      if (Set.of("cursor", "next_link").contains(kind) && !pg.has("next")) {
        fail(
            "/source/pagination",
            "pagination kind '"
                + kind
                + "' needs 'next': an expression over the response "
                + "giving the next "
                + (kind.equals("cursor") ? "cursor" : "URL"));
      }
      DefinitionModel.Pagination p =
          new DefinitionModel.Pagination(
              kind,
              text(pg, "param"),
              text(pg, "size_param"),
              pg.path("page_size").asInt(100),
              template(pg.get("next"), "/source/pagination/next"),
              pg.path("max_pages").asInt(100));
      return new DefinitionModel.Source(
          s.path("interval_ms").asLong(60_000),
          rq.path("method").asText("GET"),
          textTemplate(rq.get("url"), "/source/request/url"),
          textMap(rq.path("headers"), "/source/request/headers"),
          textMap(rq.path("query"), "/source/request/query"),
          p,
          template(s.get("records"), "/source/records"),
          template(s.get("event"), "/source/event"),
          template(s.get("cursor"), "/source/cursor"));
    }

    private List<DefinitionModel.Fixture> fixtures(
        JsonNode tests, Set<String> required, boolean destination) {
      List<DefinitionModel.Fixture> out = new ArrayList<>();
      if (destination && tests.isArray() && tests.isEmpty()) {
        fail("/tests", "a destination carries at least one test fixture");
      }
      for (int i = 0; i < tests.size(); i++) {
        JsonNode t = tests.get(i);
        String p = "/tests/" + i;
        @SuppressWarnings("unchecked")
        Map<String, Object> settings =
            t.path("settings").isObject()
                ? JSON.convertValue(t.get("settings"), Map.class)
                : Map.of();
        for (String r : required) {
          if (!settings.containsKey(r)) {
            fail(
                p + (t.has("settings") ? "/settings" : ""),
                "fixture settings lack required setting '" + r + "'");
          }
        }
        for (String k : settings.keySet()) {
          if (!declaredSettings.contains(k)) {
            fail(
                p + "/settings/" + LocatedYaml.escape(k),
                "fixture sets '"
                    + k
                    + "', which is not declared under "
                    + "settings.properties"
                    + declaredList());
          }
        }
        List<Map<String, Object>> events = new ArrayList<>();
        JsonNode ev = t.path("events");
        for (int j = 0; j < ev.size(); j++) {
          @SuppressWarnings("unchecked")
          Map<String, Object> e =
              ev.get(j).isObject() ? JSON.convertValue(ev.get(j), Map.class) : Map.of();
          try {
            Event.fromMap(e);
          } catch (RuntimeException x) {
            fail(p + "/events/" + j, "not a valid event: " + x.getMessage());
          }
          events.add(e);
        }
        List<DefinitionModel.ResponseFixture> responses = new ArrayList<>();
        t.path("responses")
            .forEach(
                r -> {
                  Map<String, String> h = new LinkedHashMap<>();
                  r.path("headers")
                      .fields()
                      .forEachRemaining(e -> h.put(e.getKey(), e.getValue().asText()));
                  responses.add(
                      new DefinitionModel.ResponseFixture(
                          r.path("status").asInt(200), h, r.get("body")));
                });
        List<String> outcomes = new ArrayList<>();
        t.path("expect").path("outcomes").forEach(o -> outcomes.add(o.asText()));
        if (!outcomes.isEmpty() && outcomes.size() != ev.size()) {
          fail(
              p + "/expect/outcomes",
              "expected one outcome per event: "
                  + ev.size()
                  + " event(s), "
                  + outcomes.size()
                  + " outcome(s)");
        }
        if (!outcomes.isEmpty() && responses.isEmpty()) {
          fail(p + "/expect/outcomes", "outcomes can only be checked against recorded 'responses'");
        }
        if (destination && !t.has("events")) {
          fail(p, "missing required key 'events': a destination fixture sends sample events");
        }
        if (!destination && t.path("responses").isEmpty()) {
          fail(p, "a source fixture needs 'responses': the recorded pages, in order");
        }
        out.add(
            new DefinitionModel.Fixture(
                t.path("name").asText("test " + i),
                i,
                settings,
                t.path("now").asLong(1_700_000_000_000L),
                events,
                responses,
                t.path("expect").get("requests"),
                outcomes,
                t.path("expect").get("events")));
      }
      return out;
    }
  }
}
