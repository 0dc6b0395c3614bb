package dev.weir.host.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.host.plugin.ConnectorRegistry;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workspace's structure is checked against portal-config-examples/schema/workspace.schema.json
 * before references are resolved: each broken file gives exactly its located problem.
 */
class WorkspaceSchemaTest {
  private static final Map<String, String> ENV =
      Map.of("ADMIN_PORT", "18081", "PUBLIC", "true", "PARTS", "2", "ATTEMPTS", "3");
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

  private Workspace load(String yaml) throws Exception {
    Path f = dir.resolve("workspace.yaml");
    Files.writeString(f, yaml);
    return new WorkspaceLoader(registry, ENV::get).load(f);
  }

  private List<String> problems(String yaml) {
    WorkspaceException e = catchThrowableOfType(WorkspaceException.class, () -> load(yaml));
    assertThat(e).as("expected the workspace to be refused").isNotNull();
    return e.problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void aMisspeltKeyIsReportedAtItsLineAndColumnWithTheKeysAllowedAndASuggestion() {
    assertThat(problems("store: { dir: ./data }\nserver: { prot: 8081 }\n"))
        .containsExactly(
            "workspace.yaml:2:11: server.prot: unknown key 'prot'; expected one of: port, host,"
                + " admin_tokens, public_metrics, tls; did you mean 'port'?");
  }

  @Test
  void aKeyOfASourceIsNamedByTheSourcesId() {
    String yaml =
        """
        sources:
          - id: web
            type: http
            settings: { write_keys: [ key-12345678 ] }
            tracking_plan: { id: shop, on_unplaned_event: flag }
        """;
    assertThat(problems(yaml))
        .containsExactly(
            "workspace.yaml:5:32: source 'web': tracking_plan.on_unplaned_event: unknown key"
                + " 'on_unplaned_event'; expected one of: id, version, on_unplanned_event,"
                + " on_unplanned_property, on_invalid_value, blocked; did you mean"
                + " 'on_unplanned_event'?");
  }

  @Test
  void aWordWhereANumberBelongsIsRefusedOnce() {
    assertThat(problems("store: { dir: ./data, partitions: many }\n"))
        .containsExactly(
            "workspace.yaml:1:23: store.partitions: must be an integer or a ${env:...} reference,"
                + " not a string");
  }

  @Test
  void aWordWhereABooleanBelongsIsRefusedOnce() {
    String yaml =
        """
        destinations:
          - id: out
            type: file
            enabled: sometimes
            settings: { dir: ./out }
        """;
    assertThat(problems(yaml))
        .containsExactly(
            "workspace.yaml:4:5: destination 'out': enabled: must be true, false or a ${env:...}"
                + " reference, not a string");
  }

  @Test
  void aListWhereAMappingBelongsIsRefusedOnce() {
    assertThat(problems("server: [ 8081 ]\n"))
        .containsExactly("workspace.yaml:1:1: server: must be a mapping, not a list");
  }

  @Test
  void aRouteWithoutDestinationsIsRefusedAtTheRoute() {
    String yaml =
        """
        sources:
          - { id: web, type: http, settings: { write_keys: [ key-12345678 ] } }
        routes:
          - { from: web }
        """;
    assertThat(problems(yaml))
        .containsExactly("workspace.yaml:4:5: routes[0].to: required key missing");
  }

  @Test
  void aFilterInsideDeliveryIsPointedToTheDestinationsFilter() {
    String yaml =
        """
        destinations:
          - id: out
            type: file
            settings: { dir: ./out }
            delivery: { max_attempts: 3, filter: { event_types: [ A ] } }
        """;
    assertThat(problems(yaml))
        .containsExactly(
            "workspace.yaml:5:34: destination 'out': delivery.filter: put the filter in the"
                + " destination's 'filter' section");
  }

  @Test
  void theFirstHostsDeliveryNamesAreRefusedNamingTheirReplacements() {
    String yaml =
        """
        destinations:
          - id: out
            type: file
            settings: { dir: ./out }
            delivery: { batch_size: 10, linger_ms: 5 }
        """;
    assertThat(problems(yaml))
        .containsExactly(
            "workspace.yaml:5:17: destination 'out': delivery.batch_size: 'batch_size' is no longer"
                + " accepted: write max_batch_events (same meaning)",
            "workspace.yaml:5:33: destination 'out': delivery.linger_ms: 'linger_ms' is no longer"
                + " accepted: write max_batch_delay_ms (same meaning)");
  }

  @Test
  void aKeyWrittenTwiceIsRefusedNotSilentlyMerged() {
    assertThat(problems("store:\n  dir: ./a\n  dir: ./b\n"))
        .containsExactly(
            "workspace.yaml:3:3: store.dir: duplicate key 'dir'; each key may appear once");
  }

  @Test
  void numbersAndBooleansMayBeReferencesBecauseTheSchemaRunsBeforeTheyAreResolved()
      throws Exception {
    Workspace ws =
        load(
            """
            server: { port: "${env:ADMIN_PORT}", public_metrics: "${env:PUBLIC}" }
            store: { dir: ./data, partitions: "${env:PARTS}", options: { dedup_window_ms: "${env:ATTEMPTS}" } }
            destinations:
              - id: out
                type: file
                enabled: "${env:PUBLIC}"
                settings: { dir: ./out }
                delivery: { max_attempts: "${env:ATTEMPTS}", ordered_per_user: "${env:PUBLIC}" }
            """);
    assertThat(ws.server().port()).isEqualTo(18081);
    assertThat(ws.server().publicMetrics()).isTrue();
    assertThat(ws.store().partitions()).isEqualTo(2);
    assertThat(ws.store().options()).containsEntry("dedup_window_ms", 3L);
    assertThat(ws.destination("out").orElseThrow().delivery().engineSettings())
        .containsEntry("max_attempts", 3L)
        .containsEntry("ordered_per_user", true);
  }

  @Test
  void anEmptyFileOrOneOfOnlyCommentsIsAnEmptyWorkspace() throws Exception {
    assertThat(load("").sources()).isEmpty();
    assertThat(load("# nothing yet\n").destinations()).isEmpty();
  }

  @Test
  void theSchemaTheLoaderUsesIsTheOneEditorsUse() throws Exception {
    byte[] published =
        Files.readAllBytes(
            Path.of("../../portal-config-examples/schema", WorkspaceSchema.RESOURCE));
    try (InputStream shipped =
        WorkspaceSchema.class.getResourceAsStream(WorkspaceSchema.RESOURCE)) {
      assertThat(shipped).as("on the classpath").isNotNull();
      assertThat(shipped.readAllBytes()).isEqualTo(published);
    }
  }

  @Test
  void theExampleWorkspacesNameTheSchemaForEditors() throws Exception {
    for (String f : List.of("quickstart/workspace.yaml", "workspaces/governed.yaml")) {
      assertThat(Files.readString(Path.of("../../portal-config-examples", f)))
          .as(f)
          .startsWith("# yaml-language-server: $schema=../schema/workspace.schema.json\n");
    }
  }

  @Test
  void everyKeyOfTheSchemaIsDocumentedAndEveryDocumentedKeyIsInTheSchema() throws Exception {
    JsonNode schema =
        new ObjectMapper()
            .readTree(
                Path.of("../../portal-config-examples/schema", WorkspaceSchema.RESOURCE).toFile());
    Map<String, JsonNode> keys = new LinkedHashMap<>();
    walk(schema, schema, "", keys);
    Map<String, String> rows =
        documentedKeys(Files.readString(Path.of("../../docs/configuration.md")));
    List<String> undocumented = new ArrayList<>();
    keys.forEach(
        (key, node) -> {
          boolean section = node.has("properties") || node.path("items").has("$ref");
          int dot = key.lastIndexOf('.');
          String parentRow = dot < 0 ? null : rows.get(key.substring(0, dot));
          boolean inParentsRow =
              parentRow != null && parentRow.contains("`" + key.substring(dot + 1) + "`");
          if (!section && !rows.containsKey(key) && !inParentsRow) {
            undocumented.add(key);
          }
        });
    assertThat(undocumented).as("keys missing from docs/configuration.md").isEmpty();
    assertThat(rows.keySet()).as("documented keys the schema lacks").isSubsetOf(keys.keySet());
  }

  /** Every key the schema allows, as the docs write it: {@code sources[].tracking_plan.id}. */
  private static void walk(JsonNode root, JsonNode node, String prefix, Map<String, JsonNode> out) {
    node = resolved(root, node);
    node.path("properties")
        .fields()
        .forEachRemaining(
            e -> {
              String key = prefix + e.getKey();
              JsonNode value = resolved(root, e.getValue());
              out.put(key, value);
              if (value.has("items") && value.path("items").has("$ref")) {
                walk(root, value.get("items"), key + "[].", out);
              } else if (value.has("properties")) {
                walk(root, value, key + ".", out);
              }
            });
  }

  private static JsonNode resolved(JsonNode root, JsonNode node) {
    JsonNode ref = node.get("$ref");
    return ref != null && ref.textValue().startsWith("#/$defs/") && !node.has("properties")
        ? resolved(root, root.at(ref.textValue().substring(1)))
        : node;
  }

  /** The keys in the first column of the docs' "Keys" table, with their rows. */
  private static Map<String, String> documentedKeys(String docs) {
    String table = docs.substring(docs.indexOf("## Keys"));
    table = table.substring(0, table.indexOf("\n\n", table.indexOf("| key |")));
    Map<String, String> rows = new LinkedHashMap<>();
    for (String line : table.split("\n")) {
      if (!line.startsWith("| `")) {
        continue;
      }
      String first = line.substring(2, line.indexOf(" |", 2));
      String last = null;
      Matcher m = Pattern.compile("`([^`]+)`").matcher(first);
      while (m.find()) {
        String key = m.group(1);
        if (key.startsWith(".") && last != null) {
          key = last.substring(0, last.lastIndexOf('.')) + key;
        }
        rows.put(key, line);
        last = key;
      }
    }
    return rows;
  }
}
