package dev.weir.host;

import static dev.weir.host.TestSupport.files;
import static dev.weir.host.TestSupport.freePort;
import static dev.weir.host.TestSupport.ndjsonLines;
import static dev.weir.host.TestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quickstart as a real process: {@code java -jar framework/target/weir.jar quickstart}
 * (the jar the {@code ./weir} script runs; Failsafe runs after {@code package}, so it exists), one
 * event over HTTP, then SIGTERM.
 */
class QuickstartProcessIT {
  private static final Path JAR = Path.of("..", "target", "weir.jar").toAbsolutePath().normalize();
  @TempDir Path workDir;
  private Process process;

  @AfterEach
  void kill() throws Exception {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static int get(OkHttpClient http, String url, String token) throws Exception {
    okhttp3.Request.Builder b = new okhttp3.Request.Builder().url(url);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try (okhttp3.Response r = http.newCall(b.build()).execute()) {
      return r.code();
    }
  }

  @Test
  void quickstartTakesAnEventOverHttpWritesItToWeirDataOutAndFlushesOnSigterm() throws Exception {
    assertThat(JAR).as("the fat jar is built by `package`").exists();
    int port = freePort();
    int adminPort = freePort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path stdout = workDir.resolve("stdout.txt");
    Path stderr = workDir.resolve("stderr.txt");
    process =
        new ProcessBuilder(
                java,
                "-jar",
                JAR.toString(),
                "quickstart",
                "--port",
                String.valueOf(port),
                "--admin-port",
                String.valueOf(adminPort))
            .directory(workDir.toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> !process.isAlive() || Files.readString(stdout).contains("Press Ctrl-C to stop"));
    assertThat(process.isAlive())
        .as("quickstart is running; stderr:%n%s", Files.readString(stderr))
        .isTrue();
    String banner = Files.readString(stdout);
    assertThat(banner)
        .contains("curl -X POST http://127.0.0.1:" + port + "/v1/events")
        .contains("Bearer weir-quickstart-key")
        .contains(workDir.resolve("weir-data").resolve("out").toRealPath().toString())
        .contains(
            "Console: http://127.0.0.1:"
                + adminPort
                + "/console/  (sign in with the token weir-quickstart-admin)");

    // the first hour: admin API, metrics, health and console are there without editing a file
    OkHttpClient http = new OkHttpClient();
    String admin = "http://127.0.0.1:" + adminPort;
    assertThat(get(http, admin + "/health/live", null)).isEqualTo(200);
    assertThat(get(http, admin + "/health/ready", null)).isEqualTo(200);
    assertThat(get(http, admin + "/console/", null)).isEqualTo(200);
    assertThat(get(http, admin + "/api/v1/destinations", null)).isEqualTo(401);
    assertThat(get(http, admin + "/api/v1/destinations", "weir-quickstart-admin")).isEqualTo(200);
    assertThat(get(http, admin + "/metrics", "weir-quickstart-admin")).isEqualTo(200);

    String[] r =
        post(
            new OkHttpClient(),
            "http://127.0.0.1:" + port + "/v1/events",
            "weir-quickstart-key",
            "[{\"event_type\":\"Signed Up\",\"user_id\":\"user-1\",\"insert_id\":\"qs-1\"}]");
    assertThat(r[0]).as(r[1]).isEqualTo("200");

    Path out = workDir.resolve("weir-data").resolve("out");
    await().atMost(Duration.ofSeconds(30)).until(() -> ndjsonLines(out).size() == 1);
    assertThat(ndjsonLines(out).get(0))
        .contains("\"event_type\":\"Signed Up\"")
        .contains("\"insert_id\":\"qs-1\"")
        .contains("\"source_id\":\"web\"");

    process.destroy(); // SIGTERM, as Ctrl-C / docker stop would
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
    // 143 = 128 + SIGTERM: the JVM's normal exit status after running its shutdown hooks.
    assertThat(process.exitValue()).isEqualTo(143);
    assertThat(Files.readString(stderr)).contains("Weir stopped cleanly");
    List<Path> complete = files(out, ".ndjson");
    assertThat(files(out, ".ndjson.tmp")).as("open file was completed on shutdown").isEmpty();
    assertThat(complete).hasSize(1);
    assertThat(Files.readString(complete.get(0))).contains("qs-1");
  }
}
