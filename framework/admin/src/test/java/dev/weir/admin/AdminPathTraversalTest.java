package dev.weir.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
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
 * Ids taken from a URL are names, never paths: crafted ids on every route with a path parameter
 * (taken from the router) never reach a file outside the admin server's directories.
 */
class AdminPathTraversalTest {
  static final String TOKEN = "traversal-test-token";
  static final MediaType JSON = MediaType.get("application/json");
  static final String CANARY = "CANARY-f00d";

  @TempDir Path dir;
  @TempDir Path outside;
  LiveStack stack;
  AdminServer server;
  OkHttpClient http =
      new OkHttpClient.Builder().followRedirects(false).readTimeout(30, TimeUnit.SECONDS).build();
  List<Path> canaries = new ArrayList<>();

  record Resp(int code, String text) {}

  @BeforeEach
  void start() throws IOException {
    stack = new LiveStack(dir);
    server =
        AdminServer.start(
            stack,
            AdminOptions.builder().host("127.0.0.1").port(0).tokens(List.of(TOKEN)).build(),
            200);
    // A readable dead-letter line in files one and two levels above the dead-letter directory,
    // and in an absolute directory elsewhere.
    String line =
        "{\"id\":\""
            + CANARY
            + "\",\"destination\":\"x\",\"reason\":\"rejected\",\"event\":{\"event_type\":\""
            + CANARY
            + "\"}}\n";
    for (Path p :
        List.of(
            dir.resolve("delivery/canary.ndjson"),
            dir.resolve("canary.ndjson"),
            dir.resolve("delivery/cursors/canary.json"),
            outside.resolve("canary.ndjson"))) {
      Files.createDirectories(p.getParent());
      Files.writeString(p, line);
      canaries.add(p);
    }
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
    stack.close();
  }

  Resp call(String method, String encodedPath) throws IOException {
    HttpUrl url =
        HttpUrl.get("http://127.0.0.1:" + server.port())
            .newBuilder()
            .encodedPath(encodedPath)
            .build();
    Request req =
        new Request.Builder()
            .url(url)
            .header("Authorization", "Bearer " + TOKEN)
            .method(method, method.equals("POST") ? RequestBody.create("{}", JSON) : null)
            .build();
    try (Response r = http.newCall(req).execute()) {
      return new Resp(r.code(), r.body().string());
    }
  }

  List<String> hostileIds() {
    String abs = outside.toAbsolutePath().resolve("canary").toString();
    return List.of(
        "..%2Fcanary",
        "..%2F..%2Fcanary",
        "%2E%2E%2Fcanary",
        "..%5Ccanary",
        "%2E%2E",
        "..",
        "%2F" + abs.substring(1).replace("/", "%2F"),
        "cursors%2F..%2F..%2Fcanary",
        "canary%00",
        "a%20b",
        "-x");
  }

  @Test
  void deadLettersOfACraftedDestinationIdAreRefusedAndNoFileOutsideIsRead() throws IOException {
    for (String id : hostileIds()) {
      Resp r = call("GET", "/api/v1/destinations/" + id + "/dead-letters");
      assertThat(r.text()).as(id).doesNotContain(CANARY);
      assertThat(r.code()).as(id + ": " + r.text()).isIn(400, 404);
    }
    Resp ok = call("GET", "/api/v1/destinations/collector/dead-letters");
    assertThat(ok.code()).isEqualTo(200);
    assertThat(call("GET", "/api/v1/destinations/nobody/dead-letters").code()).isEqualTo(404);
  }

  @Test
  void everyRouteWithAPathParameterRefusesCraftedIdsAndLeavesOutsideFilesAlone()
      throws IOException {
    List<String> before = new ArrayList<>();
    for (Path c : canaries) {
      before.add(Files.readString(c, StandardCharsets.UTF_8));
    }
    int checked = 0;
    for (AdminServer.Served route : server.servedRoutes()) {
      if (!route.path().contains("{")) {
        continue;
      }
      for (String id : hostileIds()) {
        String path = route.path().replaceAll("\\{[^}]+}", id);
        Resp r = call(route.method().toUpperCase(Locale.ROOT), path);
        assertThat(r.text()).as(route + " " + id).doesNotContain(CANARY);
        assertThat(r.code()).as(route + " " + id + ": " + r.text()).isGreaterThanOrEqualTo(400);
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(50);
    for (int i = 0; i < canaries.size(); i++) {
      assertThat(canaries.get(i)).as("untouched").exists();
      assertThat(Files.readString(canaries.get(i), StandardCharsets.UTF_8))
          .isEqualTo(before.get(i));
    }
  }
}
