package dev.weir.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.host.config.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every example workspace in portal-config-examples/workspaces loads and validates. */
class ExampleWorkspacesTest {
  private static final Path DIR =
      Path.of("..", "..", "portal-config-examples", "workspaces").toAbsolutePath().normalize();

  @Test
  void everyExampleWorkspaceIsValid() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(DIR)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    for (Path f : files) {
      try (Weir.Loaded loaded =
          Weir.load(f, Map.of("WEIR_ADMIN_TOKEN", "example-admin-token")::get)) {
        Workspace ws = loaded.workspace();
        assertThat(ws.sources()).as(f.toString()).isNotEmpty();
      }
    }
  }

  @Test
  void governedExampleQuarantinesAndRoutesTheQuarantineToItsOwnFiles() throws Exception {
    try (Weir.Loaded loaded =
        Weir.load(
            DIR.resolve("governed.yaml"), Map.of("WEIR_ADMIN_TOKEN", "example-admin-token")::get)) {
      Workspace ws = loaded.workspace();
      assertThat(ws.sourcesFeeding("quarantine-files")).containsExactly("web:quarantine");
      assertThat(ws.destination("crm").orElseThrow().definition())
          .isEqualTo("crm-upsert-style@2.x");
      assertThat(ws.server().adminTokens()).containsExactly("example-admin-token");
    }
  }
}
