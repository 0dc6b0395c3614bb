package dev.weir.host.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.fuzz.Fuzz;
import dev.weir.host.plugin.ConnectorRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the workspace loader with mutated copies of the example workspaces (next to copies of the
 * example tracking plans and definitions they name): a file either loads or is refused with a
 * {@link WorkspaceException} whose every problem names the file and says what is wrong, never
 * quoting a resolved secret; nothing else escapes and nothing hangs. Inputs that broke it are kept
 * under {@code src/test/resources/fuzz-regressions/workspace/} and replayed. See {@link Fuzz} for
 * {@code -Dweir.fuzz.seed} and {@code -Dweir.fuzz.iterations} (default 300).
 */
class WorkspaceFuzzTest {
  static final Path EXAMPLES = Path.of("../../portal-config-examples").toAbsolutePath().normalize();
  static final String TARGET = "workspace";
  static final String SECRET = "fuzz-secret-value-9f8e";
  static final Map<String, String> ENV =
      Map.of(
          "WEIR_ADMIN_TOKEN",
          SECRET,
          "WEB_KEY",
          SECRET,
          "CRM_TOKEN",
          SECRET,
          "WEIR_HTTP_PORT",
          "0");

  private static ConnectorRegistry registry;
  @TempDir static Path dir;

  @BeforeAll
  static void builtIns() throws Exception {
    registry = ConnectorRegistry.load(dir.resolve("no-plugins"));
    for (String sub : List.of("tracking-plans", "definitions")) {
      Path to = Files.createDirectories(dir.resolve(sub));
      try (Stream<Path> files = Files.list(EXAMPLES.resolve(sub))) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          Files.copy(f, to.resolve(f.getFileName()));
        }
      }
    }
    Files.createDirectories(dir.resolve("workspaces"));
    Files.writeString(dir.resolve("workspaces/token.txt"), SECRET + "\n");
  }

  @AfterAll
  static void close() {
    registry.close();
  }

  @Test
  void noMutatedWorkspaceBreaksTheLoader() throws IOException {
    List<String> seeds = seeds();
    Fuzz fuzz = new Fuzz(Fuzz.SEED ^ TARGET.hashCode());
    Map<String, Integer> outcomes =
        Fuzz.run(TARGET, Fuzz.iterations(300), i -> fuzz.yaml(seeds), WorkspaceFuzzTest::check);
    assertThat(outcomes).as("mutations reach past the reader").containsKeys("loaded", "refused");
  }

  @TestFactory
  List<DynamicTest> keptRegressionInputsNoLongerBreakTheLoader() {
    return Fuzz.replay(TARGET, WorkspaceFuzzTest::check);
  }

  private static String check(byte[] input) throws Exception {
    Path file = dir.resolve("workspaces/fuzzed.yaml");
    Files.write(file, input);
    Workspace ws;
    try {
      ws = new WorkspaceLoader(registry, ENV::get).load(file);
    } catch (WorkspaceException refused) {
      assertThat(refused.problems()).isNotEmpty();
      for (ConfigProblem p : refused.problems()) {
        assertThat(p.file()).as(p.toString()).contains("fuzzed.yaml");
        assertThat(p.message()).as(p.toString()).isNotBlank();
        assertThat(p.toString()).doesNotContain(SECRET);
      }
      return "refused";
    }
    assertThat(ws.printable().toString()).doesNotContain(SECRET);
    return "loaded";
  }

  static List<String> seeds() throws IOException {
    List<String> out = new ArrayList<>();
    out.add(Files.readString(EXAMPLES.resolve("quickstart/workspace.yaml")));
    out.add(Files.readString(EXAMPLES.resolve("workspaces/governed.yaml")));
    out.add(
        """
        server: { port: 0, admin_tokens: [ "${env:WEIR_ADMIN_TOKEN}" ], public_metrics: false }
        store: { dir: ./data/store, partitions: 2, options: { fsync_policy: interval } }
        tracking_plans: [ ../tracking-plans/ecommerce-v3.yaml ]
        definitions_dir: ../definitions
        sources:
          - id: web
            type: http
            settings: { port: 0, write_keys: [ "${env:WEB_KEY}" ] }
            tracking_plan: { id: ecommerce, on_unplanned_event: flag, blocked: quarantine }
        destinations:
          - id: files
            type: file
            settings: { dir: ./data/out }
            delivery: { max_batch_events: 10, max_batch_delay_ms: 5, max_attempts: 3 }
          - id: crm-hook
            type: webhook
            settings:
              url: https://crm.example/hook?token=${env:CRM_TOKEN}
              headers: { Authorization: "Bearer ${file:token.txt}" }
            filter: { event_types: [ Purchase ], properties: { plan: pro } }
          - id: crm
            definition: crm-upsert-style@2.x
            settings: { access_token: "${env:CRM_TOKEN}" }
        routes:
          - { from: web, to: [ files, crm-hook, crm ] }
          - { from: "web:quarantine", to: files }
        """);
    return out;
  }
}
