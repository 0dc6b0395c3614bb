package dev.weir.host.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.weir.host.plugin.ConnectorRegistry;
import dev.weir.runtime.Suggestions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceLoaderTest {
  private static ConnectorRegistry registry;
  @TempDir Path dir;

  @BeforeAll
  static void loadBuiltIns(@TempDir Path noPlugins) throws Exception {
    registry = ConnectorRegistry.load(noPlugins.resolve("none"));
  }

  @AfterAll
  static void close() {
    registry.close();
  }

  private static final String GOOD =
      """
      store: { dir: ./data/store, partitions: 2 }
      sources:
        - id: web
          type: http
          settings: { port: 0, write_keys: [ "${env:WEB_KEY}" ] }
      destinations:
        - id: files
          type: file
          settings: { dir: ./data/out }
        - id: crm-hook
          type: webhook
          settings:
            url: https://crm.example/hook
            headers: { Authorization: "Bearer ${file:token.txt}" }
      routes:
        - { from: web, to: [ files, crm-hook ] }
      """;

  private Path write(String yaml) throws Exception {
    Path f = dir.resolve("workspace.yaml");
    Files.writeString(f, yaml);
    Files.writeString(dir.resolve("token.txt"), "hook-token-from-file\n");
    return f;
  }

  private Workspace load(String yaml, Map<String, String> env) throws Exception {
    return new WorkspaceLoader(registry, env::get).load(write(yaml));
  }

  private List<String> problems(String yaml, Map<String, String> env) throws Exception {
    WorkspaceException e = catchThrowableOfType(WorkspaceException.class, () -> load(yaml, env));
    assertThat(e).as("expected the workspace to be refused").isNotNull();
    return e.problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void validWorkspaceLoadsWithReferencesResolvedAndSchemaDefaultsApplied() throws Exception {
    Workspace ws = load(GOOD, Map.of("WEB_KEY", "web-key-123456"));
    assertThat(ws.source("web").orElseThrow().settings().get("write_keys"))
        .isEqualTo(List.of("web-key-123456"));
    assertThat(ws.source("web").orElseThrow().settings())
        .containsEntry("max_events_per_request", 2000);
    assertThat(ws.destination("files").orElseThrow().settings()).containsEntry("prefix", "events");
    @SuppressWarnings("unchecked")
    Map<String, Object> headers =
        (Map<String, Object>) ws.destination("crm-hook").orElseThrow().settings().get("headers");
    assertThat(headers).containsEntry("Authorization", "Bearer hook-token-from-file");
    assertThat(ws.secrets()).contains("web-key-123456", "hook-token-from-file");
    assertThat(ws.sourcesFeeding("crm-hook")).containsExactly("web");
  }

  @Test
  void printableConfigShowsSecretsAsStars() throws Exception {
    Workspace ws = load(GOOD, Map.of("WEB_KEY", "web-key-123456"));
    String printed = ws.printable().toString();
    assertThat(printed)
        .doesNotContain("web-key-123456")
        .doesNotContain("hook-token-from-file")
        .contains("***");
    assertThat(printed).contains("https://crm.example/hook");
  }

  @Test
  void printableConfigShowsPathsAndUrlsFromTheEnvironmentAndStillMasksCredentials()
      throws Exception {
    String yaml =
        GOOD.replace("dir: ./data/store", "dir: \"${env:DATA_DIR}/store\"")
            .replace("dir: ./data/out", "dir: \"${env:OUT_DIR}\"")
            .replace("url: https://crm.example/hook", "url: \"${env:HOOK_URL}\"");
    Workspace ws =
        load(
            yaml,
            Map.of(
                "WEB_KEY", "web-key-123456",
                "DATA_DIR", "/var/lib/weir-data",
                "OUT_DIR", "/var/lib/weir-out",
                "HOOK_URL", "https://crm.example/from-env"));
    String printed = ws.printable().toString();
    assertThat(printed)
        .contains("/var/lib/weir-data/store", "/var/lib/weir-out", "https://crm.example/from-env")
        .doesNotContain("web-key-123456")
        .doesNotContain("hook-token-from-file");
  }

  @Test
  void missingRequiredSettingNamesFileConnectionAndPath() throws Exception {
    String yaml = GOOD.replace("url: https://crm.example/hook", "");
    assertThat(problems(yaml, Map.of("WEB_KEY", "web-key-123456")))
        .containsExactly(
            "workspace.yaml:12:5: destination 'crm-hook': settings.url: required property missing"
                + " (Where batches are POSTed as {\"events\": [...]}.)");
  }

  @Test
  void wrongTypeOfSettingNamesFileConnectionAndPath() throws Exception {
    String yaml = GOOD.replace("port: 0", "port: lots");
    List<String> p = problems(yaml, Map.of("WEB_KEY", "web-key-123456"));
    assertThat(p).hasSize(1);
    assertThat(p.get(0))
        .startsWith("workspace.yaml:5:17: source 'web': settings.port: ")
        .contains("integer");
  }

  @Test
  void withoutAClusterSectionTheWorkspaceHasNoCluster() throws Exception {
    assertThat(load(GOOD, Map.of("WEB_KEY", "web-key-123456")).cluster()).isNull();
  }

  @Test
  void clusterSectionGivesSettingsWithTheStoresPartitionsAndDefaults() throws Exception {
    String yaml =
        GOOD
            + """
            cluster: { bootstrap_servers: "k1:9092", node_id: n1, roles: [ ingest, store ] }
            """;
    Workspace.ClusterConfig c = load(yaml, Map.of("WEB_KEY", "web-key-123456")).cluster();
    assertThat(c.settings().partitions()).isEqualTo(2);
    assertThat(c.settings().roles())
        .containsExactlyInAnyOrder(
            dev.weir.cluster.ClusterSettings.Role.INGEST,
            dev.weir.cluster.ClusterSettings.Role.STORE);
    assertThat(c.settings().group()).isEqualTo("weir");
    assertThat(c.settings().replicationFactor()).isEqualTo((short) 3);
    assertThat(c.settings().ackTimeout()).isEqualTo(java.time.Duration.ofSeconds(10));
    assertThat(c.sessionTimeout()).isEqualTo(java.time.Duration.ofSeconds(10));
  }

  @Test
  void clusterPartitionsOtherThanTheStoresAreALocatedError() throws Exception {
    String yaml =
        GOOD
            + """
            cluster:
              bootstrap_servers: "k1:9092"
              node_id: n1
              roles: [ store ]
              partitions: 8
            """;
    assertThat(problems(yaml, Map.of("WEB_KEY", "web-key-123456")))
        .containsExactly(
            "workspace.yaml:21:3: cluster.partitions: must equal store.partitions (2): a Kafka"
                + " partition is a store partition");
  }

  @Test
  void aStoreOnlyNodeWithEnabledSourcesIsALocatedError() throws Exception {
    String yaml =
        GOOD
            + """
            cluster: { bootstrap_servers: "k1:9092", node_id: n1, roles: [ store ] }
            """;
    assertThat(problems(yaml, Map.of("WEB_KEY", "web-key-123456")))
        .containsExactly(
            "workspace.yaml:17:55: cluster.roles: sources need the ingest role: add ingest, or"
                + " disable the sources on this store node");
  }

  @Test
  void unknownKeyIsAnErrorWithADidYouMeanSuggestion() throws Exception {
    String yaml = GOOD.replace("routes:", "rootes:");
    List<String> p = problems(yaml, Map.of("WEB_KEY", "web-key-123456"));
    assertThat(p)
        .containsExactly(
            "workspace.yaml:15:1: rootes: unknown key 'rootes'; expected one of: server, store, cluster,"
                + " plugins_dir, definitions_dir, tracking_plans, audiences, sources, destinations, routes;"
                + " did you mean 'routes'?");
  }

  @Test
  void sourceAndDestinationIdsAreNamesNotPaths() throws Exception {
    String yaml = GOOD.replace("id: web", "id: ../web").replace("id: files", "id: /tmp/files");
    List<String> p = problems(yaml, Map.of("WEB_KEY", "web-key-123456"));
    assertThat(p)
        .anyMatch(x -> x.contains("'../web' is not a valid id"))
        .anyMatch(x -> x.contains("'/tmp/files' is not a valid id"));
  }

  @Test
  void publicMetricsIsOffUnlessTheServerSectionTurnsItOnAndAMisspellingIsRefused()
      throws Exception {
    Map<String, String> env = Map.of("WEB_KEY", "web-key-123456");
    String server = "server: { port: 0, admin_tokens: [ t0k3n-value ] }\n";
    assertThat(load(server + GOOD, env).server().publicMetrics()).isFalse();
    assertThat(
            load(server.replace("port: 0", "port: 0, public_metrics: true") + GOOD, env)
                .server()
                .publicMetrics())
        .isTrue();
    assertThat(problems(server.replace("port: 0", "port: 0, public_metric: true") + GOOD, env))
        .anyMatch(p -> p.contains("public_metric") && p.contains("did you mean 'public_metrics'"));
  }

  @Test
  void unknownSettingIsAnErrorWithASuggestionFromTheConnectorSchema() throws Exception {
    String yaml = GOOD.replace("dir: ./data/out", "dri: ./data/out");
    List<String> p = problems(yaml, Map.of("WEB_KEY", "web-key-123456"));
    assertThat(p)
        .anyMatch(
            s ->
                s.startsWith(
                    "workspace.yaml:9:5: destination 'files': settings.dir: required property missing"
                        + " (Directory the NDJSON files go into"));
    assertThat(p)
        .anyMatch(
            s ->
                s.startsWith(
                        "workspace.yaml:9:17: destination 'files': settings.dri: unknown setting")
                    && s.contains("did you mean 'dir'?"));
  }

  @Test
  void unresolvedEnvReferenceNamesTheVariableFileAndPath() throws Exception {
    List<String> p = problems(GOOD, Map.of());
    assertThat(p)
        .containsExactly(
            "workspace.yaml:5:40: source 'web': settings.write_keys[0]: unresolved reference "
                + "${env:WEB_KEY}: environment variable WEB_KEY is not set");
  }

  @Test
  void everyProblemIsReportedAtOnce() throws Exception {
    String yaml =
        GOOD.replace("port: 0", "port: lots")
            .replace("routes:", "rootes:")
            .replace("type: file", "type: fiel");
    List<String> p = problems(yaml, Map.of());
    assertThat(p).hasSize(4);
    assertThat(p)
        .anyMatch(
            s ->
                s.contains(
                    "destination 'files': type: unknown connector 'fiel', did you mean "
                        + "'file'?"));
  }

  @Test
  void routeToAnUnknownDestinationIsAnError() throws Exception {
    String yaml = GOOD.replace("to: [ files, crm-hook ]", "to: [ files, crm-hok ]");
    assertThat(problems(yaml, Map.of("WEB_KEY", "web-key-123456")))
        .containsExactly(
            "workspace.yaml:16:31: routes[0].to[1]: unknown destination 'crm-hok', did you mean 'crm-hook'?");
  }

  @Test
  void problemsFoundAfterTheSchemaAlsoNameTheLineAndColumnOfTheirKey() throws Exception {
    String yaml =
        GOOD.replace("type: file", "type: fiel")
            .replace("to: [ files, crm-hook ]", "to: [ files, crm-hok ]");
    assertThat(problems(yaml, Map.of("WEB_KEY", "web-key-123456")))
        .containsExactly(
            "workspace.yaml:8:5: destination 'files': type: unknown connector 'fiel', did you mean"
                + " 'file'? (see `weir plugins list`)",
            "workspace.yaml:16:31: routes[0].to[1]: unknown destination 'crm-hok', did you mean"
                + " 'crm-hook'?");
  }

  @Test
  void yamlThatCannotBeParsedIsReportedAtItsLineAndColumn() throws Exception {
    assertThat(problems("sources:\n  - { id: web, type: http\n", Map.of()))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("workspace.yaml:3:1: not valid YAML: ");
  }

  @Test
  void sourceTypeUsedAsDestinationIsAnError() throws Exception {
    String yaml = GOOD.replace("type: file", "type: http");
    assertThat(problems(yaml, Map.of("WEB_KEY", "web-key-123456")))
        .anyMatch(
            s ->
                s.startsWith(
                    "workspace.yaml:8:5: destination 'files': type: connector 'http' is a source"));
  }

  @Test
  void environmentStringsAreCoercedToTheSchemaType() throws Exception {
    String yaml = GOOD.replace("port: 0", "port: \"${env:PORT}\"");
    Workspace ws = load(yaml, Map.of("WEB_KEY", "web-key-123456", "PORT", "18080"));
    assertThat(ws.source("web").orElseThrow().settings().get("port")).isEqualTo(18080);
  }

  @Test
  void envReferenceFallsBackToItsInlineDefault() throws Exception {
    String yaml = GOOD.replace("port: 0", "port: \"${env:PORT:-9090}\"");
    Workspace ws = load(yaml, Map.of("WEB_KEY", "web-key-123456"));
    assertThat(ws.source("web").orElseThrow().settings().get("port")).isEqualTo(9090);
  }

  @Test
  void problemMessagesNeverQuoteAResolvedSecret() throws Exception {
    // The mode check quotes the bad value; here that value came from the environment, so it is a
    // secret.
    String yaml = GOOD.replace("type: file", "type: file\n    mode: \"${env:MODE}\"");
    List<String> p =
        problems(yaml, Map.of("WEB_KEY", "web-key-123456", "MODE", "streaming-s3cret"));
    assertThat(p)
        .containsExactly(
            "workspace.yaml:9:5: destination 'files': mode: must be 'stream' or 'batch', not '***'");
  }

  @Test
  void commandLineVariablesAreNotTreatedAsSecrets() throws Exception {
    String yaml = GOOD.replace("dir: ./data/out", "dir: \"${env:OUT_DIR}/out\"");
    Workspace ws =
        new WorkspaceLoader(
                registry,
                Map.of("WEB_KEY", "web-key-123456", "OUT_DIR", "/srv/weir-data")::get,
                java.util.Set.of("OUT_DIR"))
            .load(write(yaml));
    assertThat(ws.destination("files").orElseThrow().settings())
        .containsEntry("dir", "/srv/weir-data/out");
    assertThat(ws.secrets()).contains("web-key-123456").doesNotContain("/srv/weir-data");
  }

  @Test
  void trackingPlanFilesResolveAgainstTheWorkspaceDirectoryAndMustExist() throws Exception {
    Files.writeString(dir.resolve("ecommerce.yaml"), "plan: ecommerce\n");
    String yaml = "tracking_plans: [ ecommerce.yaml, missing.yaml ]\n" + GOOD;
    List<String> p = problems(yaml, Map.of("WEB_KEY", "web-key-123456"));
    assertThat(p)
        .containsExactly(
            "workspace.yaml:1:35: tracking_plans[1]: file not found: "
                + dir.resolve("missing.yaml"));
    Workspace ws =
        load("tracking_plans: [ ecommerce.yaml ]\n" + GOOD, Map.of("WEB_KEY", "web-key-123456"));
    assertThat(ws.trackingPlans()).containsExactly(dir.resolve("ecommerce.yaml"));
  }

  @Test
  void suggestionsComeOnlyForNearMisses() {
    List<String> top = List.of("server", "store", "sources", "destinations", "routes");
    assertThat(Suggestions.closest("destinatons", top)).isEqualTo("destinations");
    assertThat(Suggestions.closest("zzz", top)).isNull();
  }
}
