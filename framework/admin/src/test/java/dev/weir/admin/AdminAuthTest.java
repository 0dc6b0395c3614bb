package dev.weir.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route the admin server's router serves, in every spelling of its path, refuses a request
 * without a valid token, except the documented public ones. The routes come from Javalin's router,
 * so a route added later is covered without touching this test.
 */
class AdminAuthTest {
  static final String TOKEN = "auth-test-admin-token";
  static final MediaType JSON = MediaType.get("application/json");

  @TempDir Path dir;
  LiveStack stack;
  AdminServer server;
  OkHttpClient http =
      new OkHttpClient.Builder().followRedirects(false).readTimeout(30, TimeUnit.SECONDS).build();

  @BeforeEach
  void start() throws IOException {
    stack = new LiveStack(dir);
  }

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
    stack.close();
  }

  private void serve(boolean publicMetrics) {
    server =
        AdminServer.start(
            stack,
            AdminOptions.builder()
                .host("127.0.0.1")
                .port(0)
                .tokens(List.of(TOKEN))
                .publicMetrics(publicMetrics)
                .build(),
            200);
  }

  int call(String method, String rawPath, String token) throws IOException {
    Request.Builder b =
        new Request.Builder()
            .url("http://127.0.0.1:" + server.port() + "/")
            .method(method, method.equals("POST") ? RequestBody.create("{}", JSON) : null);
    // OkHttp would normalise the path; send it exactly as written.
    okhttp3.HttpUrl url =
        okhttp3.HttpUrl.get("http://127.0.0.1:" + server.port())
            .newBuilder()
            .encodedPath(
                rawPath.contains("?") ? rawPath.substring(0, rawPath.indexOf('?')) : rawPath)
            .encodedQuery(
                rawPath.contains("?") ? rawPath.substring(rawPath.indexOf('?') + 1) : null)
            .build();
    b.url(url);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try (Response r = http.newCall(b.build()).execute()) {
      return r.code();
    }
  }

  /** Every spelling of a path a client could use to reach the same route. */
  static List<String> variants(String path) {
    Set<String> out = new LinkedHashSet<>();
    out.add(path);
    out.add(path + "/");
    out.add(path + "?x=1");
    out.add(path + "/?x=1");
    out.add(path + "//");
    out.add("/" + path);
    out.add(path.toUpperCase(Locale.ROOT));
    out.add(path + ";x=1");
    // percent-encode the last letter of the path
    int i = path.length() - 1;
    while (i > 0 && !Character.isLetter(path.charAt(i))) {
      i--;
    }
    out.add(
        path.substring(0, i)
            + String.format("%%%02X", (int) path.charAt(i))
            + path.substring(i + 1));
    return new ArrayList<>(out);
  }

  @Test
  void everyRouteOfTheRouterInEverySpellingRefusesARequestWithoutAValidToken() throws IOException {
    serve(false);
    List<AdminServer.Served> served = server.servedRoutes();
    assertThat(served).hasSizeGreaterThan(25);
    List<String> publicOnes = new ArrayList<>();
    for (AdminServer.Served r : served) {
      String path =
          r.path()
              .replaceAll("\\{userId}", "u1")
              .replaceAll("\\{[^}]+}", "collector")
              .replaceAll("<[^>]+>", "collector");
      if (r.isPublic()) {
        publicOnes.add(r.method() + " " + r.path());
        continue;
      }
      List<String> methods = new ArrayList<>(List.of(r.method().toUpperCase(Locale.ROOT)));
      if (r.method().equalsIgnoreCase("get")) {
        methods.add("HEAD");
      }
      for (String m : methods) {
        for (String p : variants(path)) {
          for (String token : new String[] {null, "wrong-token", TOKEN + "x", ""}) {
            int code = call(m, p, token);
            assertThat(code).as("%s %s with token %s", m, p, token).isGreaterThanOrEqualTo(400);
          }
          if (p.equals(path)) {
            assertThat(call(m, p, null)).as("%s %s", m, p).isEqualTo(401);
          }
        }
      }
    }
    assertThat(publicOnes)
        .as("the public routes are exactly the documented ones")
        .containsExactlyInAnyOrder("GET /health/live", "GET /health/ready", "GET /");
  }

  @Test
  void unknownPathsAndTheConsoleHoldNoDataForACallerWithoutAToken() throws IOException {
    serve(false);
    assertThat(call("GET", "/api/v1/nope", null)).isEqualTo(401);
    assertThat(call("GET", "/api/v1/destinations/..%2F..%2Fetc/status", null)).isEqualTo(401);
    assertThat(call("GET", "/whatever", null)).isEqualTo(401);
    // The console's static shell is public: it holds no data, and asks for the token itself.
    assertThat(call("GET", "/console/index.html", null)).isEqualTo(200);
    assertThat(call("GET", "/health/live", null)).isEqualTo(200);
  }

  @Test
  void metricsArePublicOnlyWhenConfigured() throws IOException {
    serve(false);
    for (String p : variants("/metrics")) {
      assertThat(call("GET", p, null)).as(p).isGreaterThanOrEqualTo(400);
      assertThat(call("HEAD", p, null)).as("HEAD " + p).isGreaterThanOrEqualTo(400);
    }
    assertThat(call("GET", "/metrics", TOKEN)).isEqualTo(200);
    server.close();
    serve(true);
    assertThat(call("GET", "/metrics", null)).isEqualTo(200);
    assertThat(call("GET", "/api/v1/overview", null)).isEqualTo(401);
    assertThat(
            server.servedRoutes().stream()
                .filter(AdminServer.Served::isPublic)
                .map(r -> r.method() + " " + r.path()))
        .contains("GET /metrics");
  }
}
