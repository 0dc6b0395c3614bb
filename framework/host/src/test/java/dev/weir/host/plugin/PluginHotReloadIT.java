package dev.weir.host.plugin;

import static dev.weir.host.TestSupport.freePort;
import static dev.weir.host.TestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.weir.host.Weir;
import dev.weir.host.cli.WeirCli;
import dev.weir.host.pipeline.HostConnectorContext;
import dev.weir.host.pipeline.HostServices;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import dev.weir.sdk.StreamingDestination;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Plugin jars built at test time and dropped into the plugins directory of a running {@link Weir}.
 */
class PluginHotReloadIT {
  @TempDir Path dir;

  /**
   * The collecting destination at {@code version}, prefixing each line it writes with
   * "v&lt;major&gt;".
   */
  private Path jar(String version) throws Exception {
    Path staging = Files.createDirectories(dir.resolve("staging-" + version));
    String source =
        PluginJars.COLLECTING_DESTINATION
            .replace("version(\"1.2.3\")", "version(\"" + version + "\")")
            .replace(
                "sb.append(e.eventType())",
                "sb.append(\"v" + version.charAt(0) + " \").append(e.eventType())");
    // Both versions have the same Plugin-Id: they differ only in their version.
    return PluginJars.build(
        staging, "collect-" + version, "collect-plugin", version, source, true, false);
  }

  /**
   * Copies {@code jar} into {@code plugins} the way a file manager would: under a temp name, then
   * renamed.
   */
  private static void drop(Path jar, Path plugins) throws Exception {
    Path tmp = Files.copy(jar, plugins.resolve(jar.getFileName() + ".copying"));
    Files.move(tmp, plugins.resolve(jar.getFileName()), StandardCopyOption.ATOMIC_MOVE);
  }

  private Path workspace(Path plugins, int port, String destinations, String routes)
      throws Exception {
    Path ws = dir.resolve("workspace.yaml");
    Files.writeString(
        ws,
        """
        plugins_dir: "%s"
        store: { dir: "%s/store" }
        sources:
          - { id: web, type: http, settings: { host: 127.0.0.1, port: %d, write_keys: [ hot-reload-key ] } }
        destinations:
        %s
        routes:
        %s
        """
            .formatted(plugins, dir, port, destinations, routes));
    return ws;
  }

  @Test
  void pluginInstalledIntoARunningHostIsListedUsableByANewConnectionAndUnloadableOnceReleased()
      throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    int port = freePort();
    Path ws = workspace(plugins, port, "  []", "  []");
    try (Weir weir = Weir.builder().workspace(ws).env(Map.<String, String>of()::get).start()) {
      assertThat(weir.plugins().info("collect")).isEmpty();

      StringWriter out = new StringWriter();
      CommandLine cli = WeirCli.commandLine();
      cli.setOut(new PrintWriter(out));
      int code =
          cli.execute(
              "plugins", "install", jar("1.0.0").toString(), "--plugins-dir", plugins.toString());
      assertThat(code).as(out.toString()).isZero();

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> weir.plugins().info("collect").isPresent());
      LoadedConnector info = weir.plugins().info("collect").orElseThrow();
      assertThat(info.version()).isEqualTo("1.0.0");
      assertThat(info.origin())
          .isEqualTo(plugins.resolve("collect-1.0.0.jar").toAbsolutePath().toString());

      Path collected = dir.resolve("late.txt");
      StreamingDestination late =
          weir.plugins().create("collect", null, "late", StreamingDestination.class);
      try (HostServices services = new HostServices(dir.resolve("late-store"))) {
        late.start(
            new HostConnectorContext(
                "late", "collect", Map.of("path", collected.toString()), services, null));
        List<Outcome> outcomes =
            late.deliver(
                List.of(
                    Event.builder()
                        .eventType("Signed Up")
                        .sourceId("web")
                        .insertId("x")
                        .time(1L)
                        .build()));
        assertThat(outcomes).hasSize(1);
        assertThat(Files.readAllLines(collected)).containsExactly("v1 Signed Up x");

        PluginInUseException refused =
            catchThrowableOfType(
                () -> weir.plugins().unload("collect", "1.0.0"), PluginInUseException.class);
        assertThat(refused.connections()).containsExactly("late");
        assertThat(refused).hasMessageContaining("in use by late");
        assertThat(weir.plugins().info("collect", "1.0.0")).isPresent();

        late.stop();
        weir.plugins().release("late");
        assertThat(weir.plugins().unload("collect", "1.0.0"))
            .extracting(LoadedConnector::version)
            .containsExactly("1.0.0");
        assertThat(weir.plugins().info("collect")).isEmpty();
      }
    }
  }

  @Test
  void destinationPinnedToV1KeepsDeliveringThroughV1AfterV2ArrivesAndV1CannotBeUnloadedWhileUsed()
      throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    drop(jar("1.0.0"), plugins);
    Path collected = dir.resolve("collected.txt");
    int port = freePort();
    Path ws =
        workspace(
            plugins,
            port,
            "  - { id: mine, type: collect, version: 1.0.0, settings: { path: \""
                + collected
                + "\" }, delivery: { max_batch_delay_ms: 0 } }",
            "  - { from: web, to: [ mine ] }");
    OkHttpClient http = new OkHttpClient();
    String url = "http://127.0.0.1:" + port + "/v1/events";
    try (Weir weir = Weir.builder().workspace(ws).env(Map.<String, String>of()::get).start()) {
      assertThat(
              post(
                  http,
                  url,
                  "hot-reload-key",
                  "[{\"event_type\":\"Before\",\"user_id\":\"u1\",\"insert_id\":\"a\"}]")[0])
          .isEqualTo("200");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Files.exists(collected) && Files.readAllLines(collected).size() == 1);

      drop(jar("2.0.0"), plugins);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> weir.plugins().info("collect", "2.0.0").isPresent());
      assertThat(weir.plugins().connectors())
          .filteredOn(c -> c.id().equals("collect"))
          .extracting(LoadedConnector::version)
          .containsExactly("1.0.0", "2.0.0");
      assertThat(weir.plugins().info("collect").orElseThrow().version())
          .as("highest")
          .isEqualTo("2.0.0");

      assertThat(
              post(
                  http,
                  url,
                  "hot-reload-key",
                  "[{\"event_type\":\"After\",\"user_id\":\"u1\",\"insert_id\":\"b\"}]")[0])
          .isEqualTo("200");
      await().atMost(Duration.ofSeconds(20)).until(() -> Files.readAllLines(collected).size() == 2);
      assertThat(Files.readAllLines(collected)).containsExactly("v1 Before a", "v1 After b");

      PluginInUseException refused =
          catchThrowableOfType(
              () -> weir.plugins().unload("collect", "1.0.0"), PluginInUseException.class);
      assertThat(refused)
          .hasMessageContaining("collect@1.0.0")
          .hasMessageContaining("in use by mine");
      assertThat(refused.connections()).containsExactly("mine");
      assertThat(weir.plugins().users().get("mine").version()).isEqualTo("1.0.0");

      assertThat(
              post(
                  http,
                  url,
                  "hot-reload-key",
                  "[{\"event_type\":\"Still\",\"user_id\":\"u1\",\"insert_id\":\"c\"}]")[0])
          .isEqualTo("200");
      await().atMost(Duration.ofSeconds(20)).until(() -> Files.readAllLines(collected).size() == 3);
      assertThat(Files.readAllLines(collected)).last().isEqualTo("v1 Still c");

      // v2 has no users: it can go.
      weir.plugins().unload("collect", "2.0.0");
      assertThat(weir.plugins().info("collect").orElseThrow().version()).isEqualTo("1.0.0");
    }
  }

  @Test
  void aReloadStartsAConnectionOnAPluginDroppedInAtRunTimeAndUnloadIsRefusedWhileItRuns()
      throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    Path collected = dir.resolve("collected.txt");
    int port = freePort();
    String server = "server: { port: 0, admin_tokens: [ \"${env:ADMIN_TOKEN}\" ] }\n";
    Path ws = workspace(plugins, port, "  []", "  []");
    Files.writeString(ws, server + Files.readString(ws));
    Map<String, String> env = Map.of("ADMIN_TOKEN", "plugin-admin-token-91c");
    OkHttpClient http = new OkHttpClient();
    try (Weir weir = Weir.builder().workspace(ws).env(env::get).start()) {
      String admin = "http://127.0.0.1:" + weir.adminPort();
      drop(jar("1.0.0"), plugins);
      Path mine =
          workspace(
              plugins,
              port,
              "  - { id: mine, type: collect, settings: { path: \""
                  + collected
                  + "\" }, delivery: { max_batch_delay_ms: 0 } }",
              "  - { from: web, to: [ mine ] }");
      Files.writeString(ws, server + Files.readString(mine));
      String[] reload = call(http, "POST", admin + "/api/v1/workspace/reload");
      assertThat(reload[0]).as(reload[1]).isEqualTo("200");
      assertThat(reload[1]).contains("\"added\":[\"mine\"]");

      assertThat(
              post(
                  http,
                  "http://127.0.0.1:" + port + "/v1/events",
                  "hot-reload-key",
                  "[{\"event_type\":\"Late\",\"user_id\":\"u1\",\"insert_id\":\"a\"}]")[0])
          .isEqualTo("200");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Files.exists(collected) && Files.readAllLines(collected).size() == 1);
      assertThat(Files.readAllLines(collected)).containsExactly("v1 Late a");

      String[] refused = call(http, "DELETE", admin + "/api/v1/plugins/collect/1.0.0");
      assertThat(refused[0]).isEqualTo("409");
      assertThat(refused[1]).contains("\"connections\":[\"mine\"]").contains("in use by mine");
      assertThat(
              cli(
                  "plugins",
                  "unload",
                  "collect",
                  "1.0.0",
                  "--admin-url",
                  admin,
                  "--token",
                  env.get("ADMIN_TOKEN")))
          .as("weir plugins unload is refused too")
          .isEqualTo(1);
      assertThat(weir.plugins().info("collect", "1.0.0")).isPresent();

      Files.writeString(ws, server + Files.readString(workspace(plugins, port, "  []", "  []")));
      reload = call(http, "POST", admin + "/api/v1/workspace/reload");
      assertThat(reload[1]).contains("\"removed\":[\"mine\"]");
      assertThat(
              cli(
                  "plugins",
                  "unload",
                  "collect",
                  "1.0.0",
                  "--admin-url",
                  admin,
                  "--token",
                  env.get("ADMIN_TOKEN")))
          .as("unloaded once no connection runs it")
          .isZero();
      assertThat(weir.plugins().info("collect")).isEmpty();
      String[] gone = call(http, "DELETE", admin + "/api/v1/plugins/collect/1.0.0");
      assertThat(gone[0]).isEqualTo("404");
    }
  }

  @Test
  void aPluginStaysInUseWhileAnAudienceDeliversThroughItAfterAReloadStopsItsRoutedConnection()
      throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    drop(jar("1.0.0"), plugins);
    Files.writeString(
        dir.resolve("viewers.yaml"),
        "name: viewers\ndestination: mine\ninclude: {event_type: Viewed}\n");
    int port = freePort();
    String head =
        "server: { port: 0, admin_tokens: [ \"${env:ADMIN_TOKEN}\" ] }\naudiences: [ viewers.yaml ]\n";
    String mine =
        "  - { id: mine, type: collect, settings: { path: \"" + dir.resolve("c.txt") + "\" } }";
    Path ws = workspace(plugins, port, mine, "  - { from: web, to: [ mine ] }");
    Files.writeString(ws, head + Files.readString(ws));
    OkHttpClient http = new OkHttpClient();
    try (Weir weir =
        Weir.builder()
            .workspace(ws)
            .env(Map.of("ADMIN_TOKEN", "plugin-admin-token-91c")::get)
            .start()) {
      String admin = "http://127.0.0.1:" + weir.adminPort();
      Files.writeString(ws, head + Files.readString(workspace(plugins, port, mine, "  []")));
      String[] reload = call(http, "POST", admin + "/api/v1/workspace/reload");
      assertThat(reload[1]).contains("\"removed\":[\"mine\"]");
      String[] refused = call(http, "DELETE", admin + "/api/v1/plugins/collect/1.0.0");
      assertThat(refused[0]).as("the audience still sends through collect").isEqualTo("409");
      assertThat(refused[1]).contains("\"connections\":[\"mine\"]");
    }
  }

  private static String[] call(OkHttpClient http, String method, String url) throws Exception {
    okhttp3.Request.Builder b =
        new okhttp3.Request.Builder()
            .url(url)
            .header("Authorization", "Bearer plugin-admin-token-91c");
    b.method(
        method,
        method.equals("POST")
            ? okhttp3.RequestBody.create("{}", okhttp3.MediaType.get("application/json"))
            : null);
    try (okhttp3.Response r = http.newCall(b.build()).execute()) {
      return new String[] {String.valueOf(r.code()), r.body().string()};
    }
  }

  private static int cli(String... args) {
    java.io.PrintStream out = System.out;
    java.io.PrintStream err = System.err;
    java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(sink, true));
    System.setErr(new java.io.PrintStream(sink, true));
    try {
      return WeirCli.commandLine().execute(args);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void unpinnedDestinationRunsTheHighestVersionInstalledWhenItStarts() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    drop(jar("1.0.0"), plugins);
    drop(jar("2.0.0"), plugins);
    Path collected = dir.resolve("collected.txt");
    int port = freePort();
    Path ws =
        workspace(
            plugins,
            port,
            "  - { id: mine, type: collect, settings: { path: \""
                + collected
                + "\" }, delivery: { max_batch_delay_ms: 0 } }",
            "  - { from: web, to: [ mine ] }");
    try (Weir weir = Weir.builder().workspace(ws).env(Map.<String, String>of()::get).start()) {
      assertThat(
              post(
                  new OkHttpClient(),
                  "http://127.0.0.1:" + port + "/v1/events",
                  "hot-reload-key",
                  "[{\"event_type\":\"Hello\",\"user_id\":\"u1\",\"insert_id\":\"a\"}]")[0])
          .isEqualTo("200");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Files.exists(collected) && Files.readAllLines(collected).size() == 1);
      assertThat(Files.readAllLines(collected)).containsExactly("v2 Hello a");
    }
  }

  @Test
  void installRefusesAJarWithoutAnExtensionIndexNamingItAndCopiesNothing() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    Path staging = Files.createDirectories(dir.resolve("staging"));
    Path broken =
        PluginJars.build(staging, "unindexed", PluginJars.COLLECTING_DESTINATION, false, false);
    StringWriter err = new StringWriter();
    CommandLine cli = WeirCli.commandLine();
    cli.setErr(new PrintWriter(err));
    int code =
        cli.execute("plugins", "install", broken.toString(), "--plugins-dir", plugins.toString());
    assertThat(code).as("config error exit code").isEqualTo(2);
    assertThat(err.toString())
        .contains(broken.toAbsolutePath().toString())
        .contains("no extension index");
    try (var files = Files.list(plugins)) {
      assertThat(files.toList()).isEmpty();
    }
  }

  @Test
  void pinningAVersionThatIsNotInstalledFailsBeforeAnythingStarts() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    drop(jar("1.0.0"), plugins);
    Path ws =
        workspace(
            plugins,
            freePort(),
            "  - { id: mine, type: collect, version: 3.0.0, settings: { path: \""
                + dir.resolve("x.txt")
                + "\" } }",
            "  - { from: web, to: [ mine ] }");
    dev.weir.host.config.WorkspaceException e =
        catchThrowableOfType(
            () -> Weir.builder().workspace(ws).env(Map.<String, String>of()::get).start(),
            dev.weir.host.config.WorkspaceException.class);
    assertThat(e).hasMessageContaining("destination 'mine'").hasMessageContaining("collect@3.0.0");
  }

  @Test
  void zipHoldingAPluginJarIsInstalledAsThatJar() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    Path jar = jar("1.0.0");
    Path zip = dir.resolve("collect-plugin.zip");
    try (var zos = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
      zos.putNextEntry(new java.util.zip.ZipEntry("collect-plugin/README.md"));
      zos.write("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      zos.putNextEntry(new java.util.zip.ZipEntry("collect-plugin/" + jar.getFileName()));
      zos.write(Files.readAllBytes(jar));
    }
    Path installed = ConnectorRegistry.install(zip, plugins);
    assertThat(installed).isEqualTo(plugins.resolve("collect-1.0.0.jar").toAbsolutePath());
    assertThat(Files.readAllBytes(installed)).isEqualTo(Files.readAllBytes(jar));
    try (ConnectorRegistry registry = ConnectorRegistry.load(plugins)) {
      assertThat(registry.info("collect").orElseThrow().version()).isEqualTo("1.0.0");
    }
  }
}
