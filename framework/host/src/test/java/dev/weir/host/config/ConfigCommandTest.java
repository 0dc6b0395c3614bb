package dev.weir.host.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.host.cli.WeirCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code weir config validate}, as a person runs it. */
class ConfigCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = WeirCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void quickstartWorkspaceIsValidAndPrintsWithSecretSettingsMasked() {
    Path ws = Path.of("..", "..", "portal-config-examples", "quickstart", "workspace.yaml");
    int code = run("config", "validate", ws.toString(), "--print");
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("OK: ")
        .contains("1 source(s), 2 destination(s), 1 route(s)");
    assertThat(out.toString())
        .doesNotContain("weir-quickstart-key")
        .doesNotContain("replace-me")
        .contains("***");
  }

  @Test
  void invalidWorkspaceExitsWith2AndListsEveryProblem() throws Exception {
    Path ws = dir.resolve("bad.yaml");
    Files.writeString(
        ws,
        """
        sourcs: []
        destinations:
          - { id: out, type: file, settings: { dir: 5 } }
        """);
    int code = run("config", "validate", ws.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("bad.yaml:1:1: sourcs: unknown key 'sourcs'; expected one of: ")
        .contains("did you mean 'sources'?")
        .contains("bad.yaml:3:40: destination 'out': settings.dir: ")
        .contains("2 problem(s); nothing would start.");
  }

  @Test
  void helpListsTheSubcommands() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains("run")
        .contains("quickstart")
        .contains("plugins")
        .contains("config");
  }
}
