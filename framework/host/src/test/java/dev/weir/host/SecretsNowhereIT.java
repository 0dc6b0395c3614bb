package dev.weir.host;

import static dev.weir.host.TestSupport.freePort;
import static dev.weir.host.TestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets nowhere, end to end, against the real {@code weir.jar} in its own process: a secret is
 * planted in every kind of setting — a header, a URL query parameter, a body template and an OAuth2
 * client secret of a partner definition, a webhook's URL and header, the admin token — all given as
 * {@code ${env:...}} references. The partner and the webhook answer with an error that echoes
 * everything they received, in raw, URL-encoded and base64 form. Then every output surface is
 * searched for every form of every secret: the startup banner (stdout), the log (stderr, at DEBUG),
 * every admin API answer (routes enumerated from the served {@code openapi.json}, which {@code
 * AdminApiTest} checks against the router) including {@code /metrics}, the live debugger stream,
 * the dead letters (admin API, {@code weir dead-letters list} and every file Weir wrote), the admin
 * and CLI dry runs ({@code weir connector test} with recorded responses echoing the secrets, {@code
 * weir connector send}) and {@code weir config validate --print}. The masks keep the words around
 * them.
 */
class SecretsNowhereIT {
  private static final Path JAR = Path.of("..", "target", "weir.jar").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WRITE_KEY = "secrets-it-write-key";

  /**
   * Planted secrets by the kind of setting that holds them; '/', '+' and '=' change when encoded.
   */
  private static final Map<String, String> SECRETS =
      Map.of(
          "HEADER_KEY", "hdr-S3cret/1+ab=",
          "QUERY_TOKEN", "qry-S3cret/2+cd=",
          "BODY_SECRET", "bdy-S3cret/3+ef=",
          "OAUTH_SECRET", "oau-S3cret/4+gh=",
          "ADMIN_TOKEN", "adm-S3cret/5+ij=");

  private static final String ACCESS_TOKEN = "acc-Runtime-Token-77";

  @TempDir Path dir;
  @StartStop final MockWebServer partner = new MockWebServer();
  private final OkHttpClient http =
      new OkHttpClient.Builder().readTimeout(60, TimeUnit.SECONDS).build();
  private final List<Process> processes = new ArrayList<>();
  private final AtomicInteger tokenRequests = new AtomicInteger();

  @AfterEach
  void kill() throws InterruptedException {
    for (Process p : processes) {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aSecretPlantedInEveryKindOfSettingAppearsOnNoOutputSurface() throws Exception {
    assertThat(JAR).as("the fat jar is built by `package`").exists();
    partner.setDispatcher(new Echo());
    int ingestPort = freePort();
    int adminPort = freePort();
    Path config = Files.createDirectories(dir.resolve("config"));
    Path data = Files.createDirectories(dir.resolve("data"));
    Path workspace = writeWorkspace(config, data, ingestPort, adminPort);
    Map<String, String> surfaces = new LinkedHashMap<>();

    Process weir =
        start(data, "run", "--workspace", workspace.toString()).redirect("run").process();
    String admin = "http://127.0.0.1:" + adminPort;
    await()
        .atMost(Duration.ofSeconds(180))
        .until(() -> !weir.isAlive() || code(admin + "/health/ready") == 200);
    assertThat(weir.isAlive()).as("weir runs; stderr:%n%s", read(data, "run.err")).isTrue();

    // The live debugger is open while the events flow.
    StringBuffer tap = new StringBuffer();
    Call tapCall =
        http.newBuilder()
            .readTimeout(0, TimeUnit.SECONDS)
            .build()
            .newCall(adminRequest(admin + "/api/v1/tap").build());
    Thread tapReader = new Thread(() -> readInto(tapCall, tap), "tap-reader");
    tapReader.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> tap.toString().contains(": tap open"));

    String[] ingest =
        post(
            http,
            "http://127.0.0.1:" + ingestPort + "/v1/events",
            WRITE_KEY,
            "[{\"event_type\":\"Signed Up\",\"user_id\":\"u1\",\"insert_id\":\"sn-1\"},"
                + "{\"event_type\":\"Cart Viewed\",\"user_id\":\"u2\",\"insert_id\":\"sn-2\"}]");
    assertThat(ingest[0]).as(ingest[1]).isEqualTo("200");
    for (String dest : List.of("echo", "hook")) {
      await().atMost(Duration.ofSeconds(120)).until(() -> deadLetterCount(admin, dest) == 2);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                tap.toString().contains("\"destination\":\"echo\"")
                    && tap.toString().contains("\"destination\":\"hook\"")
                    && tap.toString().contains("dead_lettered"));
    assertThat(tokenRequests.get()).as("the OAuth2 secret was used").isGreaterThanOrEqualTo(2);

    // Every admin API answer, routes from the served OpenAPI document.
    adminAnswers(admin, surfaces);
    tapCall.cancel();
    tapReader.join(10_000);
    surfaces.put("live debugger GET /api/v1/tap", tap.toString());

    weir.destroy(); // SIGTERM
    assertThat(weir.waitFor(60, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
    surfaces.put("startup banner (stdout)", read(data, "run.out"));
    surfaces.put("log (stderr, DEBUG)", read(data, "run.err"));

    // Offline commands over the same workspace and the CLI dry run / send of the definition.
    surfaces.put(
        "weir dead-letters list",
        start(data, "dead-letters", "list", "-w", workspace.toString(), "--destination", "echo")
            .output());
    surfaces.put(
        "weir dead-letters list (webhook)",
        start(data, "dead-letters", "list", "-w", workspace.toString(), "--destination", "hook")
            .output());
    surfaces.put(
        "weir config validate --print",
        start(data, "config", "validate", workspace.toString(), "--print").output());
    Path events = config.resolve("events.ndjson");
    Files.writeString(
        events, "{\"event_type\":\"Signed Up\",\"user_id\":\"u1\",\"insert_id\":\"dry-1\"}\n");
    Path settings = config.resolve("settings.yaml");
    JSON.writeValue(settings.toFile(), definitionSettings("https://partner.example.com"));
    Path responses = config.resolve("responses.json");
    Files.writeString(responses, JSON.writeValueAsString(List.of(recordedEcho())));
    Path definition = config.resolve("defs/echo-partner-1.0.0.yaml");
    surfaces.put(
        "weir connector test (dry run with recorded responses)",
        start(
                data,
                "connector",
                "test",
                definition.toString(),
                "--events",
                events.toString(),
                "--settings",
                settings.toString(),
                "--responses",
                responses.toString())
            .output());
    surfaces.put(
        "weir connector send",
        start(
                data,
                "connector",
                "send",
                definition.toString(),
                "--to",
                partner.url("/").toString(),
                "--events",
                events.toString(),
                "--settings",
                settings.toString())
            .output());
    surfaces.put("files Weir wrote (store, dead letters, state)", filesUnder(data));

    // The secrets did reach the partner (so the surfaces had something to leak).
    assertThat(partner.getRequestCount()).isGreaterThan(3);
    List<String> leaks = new ArrayList<>();
    surfaces.forEach(
        (surface, text) -> {
          for (Map.Entry<String, String> s : SECRETS.entrySet()) {
            for (String form : forms(s.getValue())) {
              if (text.contains(form)) {
                leaks.add(surface + " shows " + s.getKey() + " as '" + form + "'");
              }
            }
          }
          // The token is kept in the connection's state file by design
          // (docs/partner-definitions.md).
          if (text.contains(ACCESS_TOKEN) && !surface.startsWith("files Weir wrote")) {
            leaks.add(surface + " shows the OAuth2 access token");
          }
        });
    assertThat(leaks).as("secrets on output surfaces").isEmpty();

    // Masks replace the secret only: the words around them stay readable.
    assertThat(surfaces.get("startup banner (stdout)"))
        .contains("/hook?token=***")
        .contains("Destination 'hook'");
    assertThat(surface(surfaces, "GET /api/v1/destinations/{id}/dead-letters [echo]"))
        .contains("invalid credentials")
        .contains("***");
    assertThat(surfaces.get("live debugger GET /api/v1/tap"))
        .contains("invalid credentials")
        .contains("***");
    assertThat(surfaces.get("weir connector test (dry run with recorded responses)"))
        .contains("POST https://partner.example.com/track?token=****")
        .contains("dead-letter (")
        .contains("invalid credentials");
  }

  private static String surface(Map<String, String> surfaces, String name) {
    assertThat(surfaces).as("surfaces searched").containsKey(name);
    return surfaces.get(name);
  }

  /** Raw, URL-encoded (both space forms) and base64 (standard and URL-safe, padded or not). */
  private static Set<String> forms(String secret) {
    byte[] b = secret.getBytes(StandardCharsets.UTF_8);
    Set<String> f = new LinkedHashSet<>();
    f.add(secret);
    f.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
    f.add(URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"));
    f.add(Base64.getEncoder().encodeToString(b));
    f.add(Base64.getEncoder().withoutPadding().encodeToString(b));
    f.add(Base64.getUrlEncoder().encodeToString(b));
    f.add(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
    return f;
  }

  private Path writeWorkspace(Path config, Path data, int ingestPort, int adminPort)
      throws IOException {
    Files.createDirectories(config.resolve("defs"));
    Files.writeString(
        config.resolve("defs/echo-partner-1.0.0.yaml"),
        """
        apiVersion: weir.dev/v1
        kind: Destination
        metadata:
          id: echo-partner
          name: Echo partner
          version: 1.0.0
          partner: Example
          category: analytics
        settings:
          type: object
          required: [base_url, api_key, query_token, body_secret, client_id, client_secret]
          properties:
            base_url: {type: string}
            api_key: {type: string, secret: true}
            query_token: {type: string, secret: true}
            body_secret: {type: string, secret: true}
            client_id: {type: string}
            client_secret: {type: string, secret: true}
        auth:
          kind: oauth2
          grant: client_credentials
          token_url: "{{ settings.base_url }}/oauth/token"
          client_id: "{{ settings.client_id }}"
          client_secret: "{{ settings.client_secret }}"
        requests:
          - name: track
            trigger:
              where: "true"
            method: POST
            url: "{{ settings.base_url }}/track"
            query:
              token: "{{ settings.query_token }}"
            headers:
              X-Api-Key: "{{ settings.api_key }}"
            body: |
              {"signature": settings.body_secret, "items": [events.{"name": event_type, "id": insert_id}]}
        delivery:
          mode: batch
          batch: {max_events: 100, max_bytes: 1000000, max_delay_ms: 100}
          retry: {success: [200], retry: [429, 5xx], drop: [4xx], max_attempts: 5}
        tests:
          - name: one event, one request
            settings: {base_url: "https://partner.example.com", api_key: "k", query_token: "q",
                       body_secret: "b", client_id: "c", client_secret: "s"}
            events:
              - {event_type: Signed Up, user_id: u1, insert_id: t-1, time: 1700000000000}
            responses:
              - {status: 200, body: ok}
            expect:
              outcomes: [delivered]
        """);
    String base = partner.url("").toString().replaceAll("/$", "");
    Path ws = config.resolve("workspace.yaml");
    Files.writeString(
        ws,
        """
        server: { host: 127.0.0.1, port: %d, admin_tokens: [ "${env:ADMIN_TOKEN}" ] }
        store: { dir: "%s/store", partitions: 2 }
        definitions_dir: defs
        sources:
          - id: web
            type: http
            settings: { host: 127.0.0.1, port: %d, write_keys: [ "%s" ] }
        destinations:
          - id: echo
            definition: "echo-partner@1.x"
            settings:
              base_url: "%s"
              api_key: "${env:HEADER_KEY}"
              query_token: "${env:QUERY_TOKEN}"
              body_secret: "${env:BODY_SECRET}"
              client_id: "weir-client"
              client_secret: "${env:OAUTH_SECRET}"
            delivery: { max_batch_delay_ms: 0, initial_backoff_ms: 50, max_backoff_ms: 200 }
          - id: hook
            type: webhook
            settings:
              url: "%s/hook?token=${env:QUERY_TOKEN}"
              headers: { X-Api-Key: "${env:HEADER_KEY}" }
            delivery: { max_batch_delay_ms: 0, initial_backoff_ms: 50, max_backoff_ms: 200 }
        routes:
          - { from: web, to: [ echo, hook ] }
        """
            .formatted(adminPort, data, ingestPort, WRITE_KEY, base, base));
    return ws;
  }

  private static Map<String, Object> definitionSettings(String base) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("base_url", base);
    s.put("api_key", SECRETS.get("HEADER_KEY"));
    s.put("query_token", SECRETS.get("QUERY_TOKEN"));
    s.put("body_secret", SECRETS.get("BODY_SECRET"));
    s.put("client_id", "weir-client");
    s.put("client_secret", SECRETS.get("OAUTH_SECRET"));
    return s;
  }

  /** A recorded 400 answer echoing every secret setting of the definition in every form. */
  private static Map<String, Object> recordedEcho() {
    StringBuilder echo = new StringBuilder("{\"error\":\"invalid credentials\",\"echo\":\"");
    for (Object v : definitionSettings("").values()) {
      if (SECRETS.containsValue(v)) {
        forms((String) v).forEach(f -> echo.append(f).append(' '));
      }
    }
    echo.append("\"}");
    return Map.of("status", 400, "headers", Map.of(), "body", echo.toString());
  }

  /**
   * The partner: an OAuth2 token endpoint (its first answer a 500 echoing the credentials it got),
   * and {@code /track}, {@code /hook} answering 400 with an echo of the request in every encoding.
   */
  private final class Echo extends Dispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest r) {
      String body = r.getBody() == null ? "" : r.getBody().utf8();
      ObjectNode echo = JSON.createObjectNode();
      echo.put("error", "invalid credentials");
      echo.put("request", r.getMethod() + " " + r.getUrl());
      ObjectNode headers = echo.putObject("headers");
      ObjectNode b64 = echo.putObject("b64");
      for (String name : r.getHeaders().names()) {
        headers.put(name, r.getHeaders().get(name));
        if (!name.equalsIgnoreCase("Authorization")) {
          b64.put(name, base64(r.getHeaders().get(name)));
        }
      }
      for (String q : r.getUrl().queryParameterNames()) {
        b64.put("query." + q, base64(r.getUrl().queryParameter(q)));
      }
      echo.put("body", body);
      echo.put("body_b64", base64(body));
      for (String v : SECRETS.values()) {
        if (body.contains(v) || body.contains(URLEncoder.encode(v, StandardCharsets.UTF_8))) {
          echo.put("secret_b64", base64(v));
        }
      }
      if (r.getUrl().encodedPath().equals("/oauth/token")) {
        if (tokenRequests.incrementAndGet() == 1) {
          return json(500, echo.toString());
        }
        return json(
            200,
            "{\"access_token\":\""
                + ACCESS_TOKEN
                + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
      }
      return json(400, echo.toString());
    }
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Calls every route of the served OpenAPI document and records each answer. */
  private void adminAnswers(String admin, Map<String, String> surfaces) throws IOException {
    JsonNode spec;
    try (Response r =
        http.newCall(adminRequest(admin + "/api/v1/openapi.json").build()).execute()) {
      spec = JSON.readTree(r.body().string());
    }
    assertThat(spec.path("paths").size()).as("routes in openapi.json").isGreaterThan(25);
    List<String[]> later = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = spec.path("paths").fields();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> p = paths.next();
      for (Iterator<String> methods = p.getValue().fieldNames(); methods.hasNext(); ) {
        String method = methods.next().toUpperCase(java.util.Locale.ROOT);
        if (p.getKey().equals("/api/v1/tap")) {
          continue; // read as a stream above
        }
        if (method.equals("GET")) {
          for (String path : expand(p.getKey())) {
            surfaces.put(
                "GET " + p.getKey() + label(p.getKey(), path),
                call(adminRequest(admin + path).build()));
          }
        } else {
          later.add(new String[] {method, p.getKey()}); // actions after every read
        }
      }
    }
    for (String[] m : later) {
      for (String path : expand(m[1])) {
        String body = bodyFor(m[1]);
        Request.Builder b = adminRequest(admin + path);
        b.method(
            m[0],
            m[0].equals("DELETE") && body == null
                ? null
                : RequestBody.create(
                    body == null ? "{}" : body, MediaType.get("application/json")));
        surfaces.put(m[0] + " " + m[1] + label(m[1], path), call(b.build()));
      }
    }
    // The answers after the actions (status, dead letters redelivered, jobs).
    for (String dest : List.of("echo", "hook")) {
      surfaces.put(
          "GET /api/v1/destinations/{id}/status after actions [" + dest + "]",
          call(adminRequest(admin + "/api/v1/destinations/" + dest + "/status").build()));
    }
    surfaces.put("GET /metrics after actions", call(adminRequest(admin + "/metrics").build()));
  }

  private static String label(String template, String path) {
    if (!template.contains("{")) {
      return "";
    }
    String[] t = template.split("/");
    String[] p = path.split("/");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < t.length && i < p.length; i++) {
      if (t[i].startsWith("{")) {
        ids.add(p[i]);
      }
    }
    return " " + ids;
  }

  /** A template path with its parameters filled from the workspace's real ids. */
  private static List<String> expand(String template) {
    if (template.startsWith("/api/v1/destinations/{id}")) {
      return List.of(template.replace("{id}", "echo"), template.replace("{id}", "hook"));
    }
    if (template.startsWith("/api/v1/sources/{id}")) {
      return List.of(template.replace("{id}", "web"));
    }
    if (template.equals("/api/v1/connectors/{id}/validate")) {
      return List.of(template.replace("{id}", "echo-partner"), template.replace("{id}", "webhook"));
    }
    if (template.equals("/api/v1/definitions/{id}/dry-run")) {
      return List.of(template.replace("{id}", "echo-partner"));
    }
    if (template.equals("/api/v1/jobs/{id}")) {
      return List.of(template.replace("{id}", "no-such-job"));
    }
    if (template.equals("/api/v1/users/{source}/{userId}")) {
      return List.of("/api/v1/users/web/u2");
    }
    return List.of(template);
  }

  /** Request bodies for the actions: real ones, carrying the secrets where a user would. */
  private static String bodyFor(String template) {
    try {
      return switch (template) {
        case "/api/v1/connectors/{id}/validate" ->
            JSON.writeValueAsString(
                Map.of("settings", definitionSettings("https://partner.example.com")));
        case "/api/v1/definitions/{id}/dry-run" ->
            JSON.writeValueAsString(
                Map.of(
                    "settings",
                    definitionSettings("https://partner.example.com"),
                    "events",
                    List.of(
                        Map.of("event_type", "Signed Up", "user_id", "u1", "insert_id", "d-1"))));
        case "/api/v1/destinations/{id}/replay" ->
            "{\"from\":0,\"to\":" + (System.currentTimeMillis() + 60_000) + "}";
        case "/api/v1/store/query" -> "{\"type\":\"segmentation\"}";
        default -> null;
      };
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Request.Builder adminRequest(String url) {
    return new Request.Builder()
        .url(url)
        .header("Authorization", "Bearer " + SECRETS.get("ADMIN_TOKEN"));
  }

  /** Status line, headers and body of an answer, as a client sees them. */
  private String call(Request r) throws IOException {
    try (Response resp = http.newCall(r).execute()) {
      return resp.code() + "\n" + resp.headers() + "\n" + resp.body().string();
    }
  }

  private int code(String url) {
    try (Response resp = http.newCall(new Request.Builder().url(url).build()).execute()) {
      return resp.code();
    } catch (IOException e) {
      return -1;
    }
  }

  private int deadLetterCount(String admin, String dest) throws IOException {
    try (Response r =
        http.newCall(adminRequest(admin + "/api/v1/destinations/" + dest + "/dead-letters").build())
            .execute()) {
      return r.code() == 200 ? JSON.readTree(r.body().string()).path("total").asInt() : -1;
    }
  }

  private static void readInto(Call call, StringBuffer out) {
    try (Response r = call.execute();
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(r.body().byteStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        out.append(line).append('\n');
      }
    } catch (IOException cancelled) {
      // the test cancels the stream when it has read enough
    }
  }

  private static String filesUnder(Path root) throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String name = f.getFileName().toString();
        if (name.endsWith(".out") || name.endsWith(".err")) {
          continue; // the captured process output, checked as its own surfaces
        }
        all.append("== ").append(root.relativize(f)).append('\n');
        all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).append('\n');
      }
    }
    return all.toString();
  }

  private static String read(Path data, String name) throws IOException {
    Path f = data.resolve(name);
    return Files.exists(f) ? Files.readString(f) : "";
  }

  private Launch start(Path workDir, String... args) {
    return new Launch(workDir, args);
  }

  /** One {@code java -jar weir.jar ...} with the secrets in its environment. */
  private final class Launch {
    private final ProcessBuilder pb;
    private final Path workDir;
    private String name = "cmd-" + processes.size();

    Launch(Path workDir, String... args) {
      this.workDir = workDir;
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-jar");
      cmd.add(JAR.toString());
      cmd.addAll(List.of(args));
      pb = new ProcessBuilder(cmd).directory(workDir.toFile());
      pb.environment().putAll(SECRETS);
      pb.environment().put("WEIR_LOG_LEVEL", "DEBUG");
    }

    Launch redirect(String n) {
      this.name = n;
      return this;
    }

    Process process() throws IOException {
      pb.redirectOutput(workDir.resolve(name + ".out").toFile());
      pb.redirectError(workDir.resolve(name + ".err").toFile());
      Process p = pb.start();
      processes.add(p);
      return p;
    }

    /** Runs to completion; stdout and stderr together. */
    String output() throws Exception {
      Process p = process();
      assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("%s finishes", pb.command()).isTrue();
      return read(workDir, name + ".out") + "\n" + read(workDir, name + ".err");
    }
  }
}
