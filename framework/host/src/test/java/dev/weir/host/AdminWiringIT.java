package dev.weir.host;

import static dev.weir.host.TestSupport.freePort;
import static dev.weir.host.TestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin server started by the host on the workspace's {@code server:} section, over the live
 * components.
 */
class AdminWiringIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private final OkHttpClient client = new OkHttpClient();

  @Test
  void adminApiServesReadinessAndTheLiveDestinationStatusBehindTheToken() throws Exception {
    int port = freePort();
    Files.writeString(
        dir.resolve("workspace.yaml"),
        """
        server: { port: 0, admin_tokens: [ "${env:ADMIN_TOKEN}" ] }
        store: { dir: "%s/store", partitions: 2 }
        sources:
          - id: web
            type: http
            settings: { host: 127.0.0.1, port: %d, write_keys: [ "admin-it-write-key" ] }
        destinations:
          - id: files
            type: file
            settings: { dir: "%s/out" }
            delivery: { max_batch_delay_ms: 0 }
        routes:
          - { from: web, to: [ files ] }
        """
            .formatted(dir, port, dir));
    try (Weir weir =
        Weir.builder()
            .workspace(dir.resolve("workspace.yaml"))
            .env(java.util.Map.of("ADMIN_TOKEN", "admin-secret-token-1")::get)
            .start()) {
      String base = "http://127.0.0.1:" + weir.adminPort();
      assertThat(get(base + "/health/ready", null)[0]).isEqualTo("200");
      assertThat(get(base + "/api/v1/destinations/files/status", null)[0]).isEqualTo("401");

      post(
          client,
          "http://127.0.0.1:" + port + "/v1/events",
          "admin-it-write-key",
          "[{\"event_type\":\"A\",\"device_id\":\"d1\",\"insert_id\":\"adm-1\"}]");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                String[] r =
                    get(base + "/api/v1/destinations/files/status", "admin-secret-token-1");
                return r[0].equals("200")
                    && JSON.readTree(r[1]).toString().contains("\"delivered\":1");
              });
      // `weir destinations pause|resume` acts on this running instance through the admin API.
      int code =
          dev.weir.host.cli.WeirCli.commandLine()
              .execute(
                  "destinations",
                  "pause",
                  "--admin-url",
                  base,
                  "--token",
                  "admin-secret-token-1",
                  "files");
      assertThat(code).isZero();
      assertThat(weir.delivery().status("files").state()).isEqualTo("paused");
      assertThat(
              dev.weir.host.cli.WeirCli.commandLine()
                  .execute(
                      "destinations",
                      "resume",
                      "--admin-url",
                      base,
                      "--token",
                      "admin-secret-token-1",
                      "files"))
          .isZero();
      assertThat(weir.delivery().status("files").state()).isEqualTo("running");
      // `weir store stats` goes through the same admin client: the answer is printed as it came.
      java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
      java.io.PrintStream stdout = System.out;
      int statsCode;
      System.setOut(new java.io.PrintStream(printed, true, "UTF-8"));
      try {
        statsCode =
            dev.weir.host.cli.WeirCli.commandLine()
                .execute("store", "stats", "--admin-url", base, "--token", "admin-secret-token-1");
      } finally {
        System.setOut(stdout);
      }
      assertThat(statsCode).isZero();
      assertThat(JSON.readTree(printed.toString("UTF-8")).path("partitions").asInt()).isEqualTo(2);
      assertThat(
              dev.weir.host.cli.WeirCli.commandLine()
                  .execute("store", "stats", "--admin-url", base, "--token", "wrong-token"))
          .isEqualTo(1);

      String[] sources = get(base + "/api/v1/sources", "admin-secret-token-1");
      assertThat(sources[0]).isEqualTo("200");
      assertThat(sources[1]).contains("web").doesNotContain("admin-it-write-key");
    }
  }

  private String[] get(String url, String token) throws Exception {
    Request.Builder b = new Request.Builder().url(url);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try (Response r = client.newCall(b.build()).execute()) {
      return new String[] {String.valueOf(r.code()), r.body().string()};
    }
  }
}
