package dev.weir.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the console in headless Chromium (playwright-core from npm) against a running admin server
 * with live traffic: logs in, sees an event appear in the debugger, pauses and resumes a
 * destination, reads a definition's rendered requests. Screenshots go to {@code
 * target/console-screenshots/}. Skips loudly without node or Chromium, except under {@code
 * CI=true}, where a missing browser fails. Every wait in the script waits for its signal (an
 * element, a state, a painted frame), each bounded by {@code E2E_TIMEOUT_MS} (default 60 s), never
 * a fixed pause.
 */
class ConsoleBrowserIT {
  static final Path E2E = Path.of("src/test/e2e").toAbsolutePath();
  static final Path SHOTS = Path.of("target/console-screenshots").toAbsolutePath();

  @TempDir Path dir;

  @Test
  void consoleShowsLiveEventsControlsDestinationsAndRendersDefinitionRequests() throws Exception {
    String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    String missing =
        !Files.isExecutable(Path.of(chromium))
            ? "Chromium (" + chromium + ")"
            : !onPath("node") ? "node" : null;
    if (missing == null && !Files.isDirectory(E2E.resolve("node_modules/playwright-core"))) {
      run(List.of("npm", "install", "--no-audit", "--no-fund", "--silent"), E2E, 300);
      if (!Files.isDirectory(E2E.resolve("node_modules/playwright-core"))) {
        missing = "playwright-core (npm install in " + E2E + " failed)";
      }
    }
    if (missing != null) {
      String msg =
          "\n*** ConsoleBrowserIT: "
              + missing
              + " is missing, the console browser test DID NOT RUN. ***\n"
              + "*** Install: apt-get install -y chromium nodejs npm; (cd "
              + E2E
              + " && npm install) ***\n";
      System.err.println(msg);
      if (ci) {
        fail("CI=true but " + missing + " is missing" + msg);
      }
      Assumptions.abort(msg);
    }

    try (LiveStack stack = new LiveStack(dir);
        AdminServer server =
            AdminServer.start(
                stack,
                AdminOptions.builder()
                    .host("127.0.0.1")
                    .port(0)
                    .tokens(List.of("console-test-token"))
                    .build(),
                1000)) {
      ScheduledExecutorService traffic = Executors.newSingleThreadScheduledExecutor();
      AtomicInteger n = new AtomicInteger();
      traffic.scheduleAtFixedRate(
          () -> {
            int i = n.incrementAndGet();
            try {
              if (!stack.sourcePaused.get()) {
                stack.ingest(
                    List.of(
                        LiveStack.event(
                            i % 5 == 0 ? "Poison" : "Product Viewed",
                            "user-" + (i % 7),
                            i % 3 == 0
                                ? Map.of("price", -1)
                                : Map.of("product_id", "SKU-" + i, "price", 9.5))));
              }
            } catch (IOException | RuntimeException e) {
              System.err.println("traffic: " + e);
            }
          },
          0,
          250,
          TimeUnit.MILLISECONDS);
      try {
        String url = "http://127.0.0.1:" + server.port();
        ProcessResult r =
            run(
                List.of(
                    "node",
                    E2E.resolve("console-e2e.mjs").toString(),
                    url,
                    "console-test-token",
                    SHOTS.toString()),
                E2E,
                // each wait in the script returns on its signal, bounded by 60 s (loaded machine)
                900);
        System.out.println(r.output);
        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output)
            .contains(
                "STEP login ok",
                "STEP debugger ok",
                "STEP pause-resume ok",
                "STEP definition-dry-run ok",
                "STEP workspace-reload ok",
                "STEP explore ok",
                "ALL OK");
        assertThat(stack.engine.status("collector").state()).isEqualTo("running");
        assertThat(SHOTS.resolve("2-debugger.png")).isNotEmptyFile();
        assertThat(SHOTS.resolve("4-definitions.png")).isNotEmptyFile();
        assertThat(SHOTS.resolve("6-explore-segmentation.png")).isNotEmptyFile();
        assertThat(SHOTS.resolve("7-explore-funnel.png")).isNotEmptyFile();
      } finally {
        traffic.shutdown(); // not shutdownNow: interrupting an append would close the store's file
        // channel
        traffic.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  record ProcessResult(int exit, String output) {}

  static ProcessResult run(List<String> cmd, Path cwd, int timeoutSeconds) throws Exception {
    Path log = Files.createTempFile("weir-e2e", ".log");
    Process p =
        new ProcessBuilder(cmd)
            .directory(cwd.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    return new ProcessResult(p.isAlive() ? -1 : p.exitValue(), out);
  }

  static boolean onPath(String exe) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, exe))) {
        return true;
      }
    }
    return false;
  }
}
