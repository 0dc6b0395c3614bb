package dev.weir.host.plugin;

import static dev.weir.host.TestSupport.freePort;
import static dev.weir.host.TestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.weir.host.Weir;
import dev.weir.host.cli.WeirCli;
import dev.weir.sdk.StreamingDestination;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Real plugin jars, compiled at test time, loaded through pf4j. */
class PluginLoadingIT {
  @TempDir Path dir;

  private Path pluginsDir() throws Exception {
    return Files.createDirectories(dir.resolve("plugins"));
  }

  @Test
  void pluginBuiltFromSourceIsLoadedInItsOwnClassLoaderAndListedWithItsJarAsOrigin()
      throws Exception {
    Path plugins = pluginsDir();
    Path jar =
        PluginJars.build(plugins, "collect-plugin", PluginJars.COLLECTING_DESTINATION, true, false);

    try (ConnectorRegistry registry = ConnectorRegistry.load(plugins)) {
      LoadedConnector info = registry.info("collect").orElseThrow();
      assertThat(info.version()).isEqualTo("1.2.3");
      assertThat(info.kindLabel()).isEqualTo("destination (stream)");
      assertThat(info.origin()).isEqualTo(jar.toAbsolutePath().normalize().toString());
      assertThat(registry.info("file").orElseThrow().origin()).isEqualTo("built-in");

      StreamingDestination a = registry.create("collect", StreamingDestination.class);
      StreamingDestination b = registry.create("collect", StreamingDestination.class);
      assertThat(a).as("one instance per connection").isNotSameAs(b);
      // The plugin's own class comes from its jar; the SDK class it extends is the host's
      // (parent-first).
      assertThat(a.getClass().getClassLoader()).isInstanceOf(org.pf4j.PluginClassLoader.class);
      assertThat(a).isInstanceOf(StreamingDestination.class);
    }

    StringWriter out = new StringWriter();
    CommandLine cli = WeirCli.commandLine();
    cli.setOut(new PrintWriter(out));
    int code = cli.execute("plugins", "list", "--plugins-dir", plugins.toString());
    assertThat(code).isZero();
    assertThat(out.toString())
        .containsPattern(
            "collect\\s+1\\.2\\.3\\s+destination \\(stream\\)\\s+"
                + java.util.regex.Pattern.quote(jar.toAbsolutePath().normalize().toString()));
    assertThat(out.toString()).containsPattern("http\\s+0\\.1\\.0\\s+source\\s+built-in");
  }

  @Test
  void pluginConnectorRunsInAWorkspaceAndReceivesEvents() throws Exception {
    Path plugins = pluginsDir();
    PluginJars.build(plugins, "collect-plugin", PluginJars.COLLECTING_DESTINATION, true, false);
    Path collected = dir.resolve("collected.txt");
    int port = freePort();
    Path ws = dir.resolve("workspace.yaml");
    Files.writeString(
        ws,
        """
        plugins_dir: "%s"
        store: { dir: "%s/store" }
        sources:
          - { id: web, type: http, settings: { host: 127.0.0.1, port: %d, write_keys: [ plugin-test-key ] } }
        destinations:
          - { id: mine, type: collect, settings: { path: "%s" }, delivery: { max_batch_delay_ms: 0 } }
        routes:
          - { from: web, to: [ mine ] }
        """
            .formatted(plugins, dir, port, collected));
    try (Weir weir = Weir.builder().workspace(ws).env(Map.<String, String>of()::get).start()) {
      String[] r =
          post(
              new OkHttpClient(),
              "http://127.0.0.1:" + port + "/v1/events",
              "plugin-test-key",
              "[{\"event_type\":\"Signed Up\",\"user_id\":\"u1\",\"insert_id\":\"a\"},"
                  + "{\"event_type\":\"Purchase\",\"user_id\":\"u1\",\"insert_id\":\"b\"}]");
      assertThat(r[0]).isEqualTo("200");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Files.exists(collected) && Files.readAllLines(collected).size() == 2);
      assertThat(Files.readAllLines(collected))
          .containsExactlyInAnyOrder("Signed Up a", "Purchase b");
    }
  }

  @Test
  void pluginSettingsAreValidatedAgainstItsSchemaBeforeAnythingStarts() throws Exception {
    Path plugins = pluginsDir();
    PluginJars.build(plugins, "collect-plugin", PluginJars.COLLECTING_DESTINATION, true, false);
    Path ws = dir.resolve("workspace.yaml");
    Files.writeString(
        ws,
        """
        plugins_dir: "%s"
        destinations:
          - { id: mine, type: collect, settings: { pth: x } }
        """
            .formatted(plugins));
    assertThatThrownBy(
            () -> Weir.builder().workspace(ws).env(Map.<String, String>of()::get).start())
        .hasMessageContaining(
            "workspace.yaml:3:32: destination 'mine': settings.path: required property missing")
        .hasMessageContaining("settings.pth: unknown setting, did you mean 'path'?");
  }

  @Test
  void jarBundlingSdkClassesIsRefusedWithAMessageNamingTheJar() throws Exception {
    Path plugins = pluginsDir();
    Path jar =
        PluginJars.build(plugins, "greedy-plugin", PluginJars.COLLECTING_DESTINATION, true, true);
    PluginLoadException e =
        catchThrowableOfType(PluginLoadException.class, () -> ConnectorRegistry.load(plugins));
    assertThat(e).isNotNull();
    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().get(0))
        .contains(jar.toString())
        .contains("refused")
        .contains("dev/weir/sdk/Event.class");
  }

  @Test
  void jarWithoutAnExtensionIndexFailsLoudlyWithItsPath() throws Exception {
    Path plugins = pluginsDir();
    Path jar =
        PluginJars.build(
            plugins, "unindexed-plugin", PluginJars.COLLECTING_DESTINATION, false, false);
    PluginLoadException e =
        catchThrowableOfType(PluginLoadException.class, () -> ConnectorRegistry.load(plugins));
    assertThat(e).isNotNull();
    assertThat(e.problems()).containsExactly(e.problems().get(0));
    assertThat(e.problems().get(0)).contains(jar.toString()).contains("no extension index");

    StringWriter err = new StringWriter();
    CommandLine cli = WeirCli.commandLine();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("plugins", "list", "--plugins-dir", plugins.toString())).isEqualTo(2);
    assertThat(err.toString()).contains(jar.toString());
  }

  @Test
  void missingPluginsDirectoryMeansOnlyBuiltIns() throws Exception {
    try (ConnectorRegistry registry = ConnectorRegistry.load(dir.resolve("nope"))) {
      assertThat(registry.connectors())
          .extracting(LoadedConnector::id)
          .contains("file", "http", "webhook")
          .allSatisfy(
              id -> assertThat(registry.info(id).orElseThrow().origin()).isEqualTo("built-in"));
      assertThat(List.copyOf(registry.ids())).doesNotContain("collect");
    }
  }
}
