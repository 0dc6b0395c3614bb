package dev.weir.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class WeirCliTest {
  @Test
  void subcommandsFromOtherModulesArePickedUpFromServiceFiles() {
    StringWriter out = new StringWriter();
    CommandLine cli = WeirCli.commandLine();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("echo-test", "hello")).isEqualTo(7);
    assertThat(out.toString()).contains("echo: hello");
  }

  @Test
  void unknownSubcommandIsAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cli = WeirCli.commandLine();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("serve")).isNotZero();
    assertThat(err.toString()).contains("serve");
  }

  @Test
  void runWithAnInvalidWorkspaceExitsWith2AndStartsNothing() throws Exception {
    java.nio.file.Path ws = java.nio.file.Files.createTempFile("bad-workspace", ".yaml");
    java.nio.file.Files.writeString(ws, "sources: [ { id: web, type: htp } ]\n");
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.err;
    int code;
    try {
      System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
      code = WeirCli.commandLine().execute("run", "--workspace", ws.toString());
    } finally {
      System.setErr(old);
    }
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains("source 'web': type: unknown connector 'htp', did you mean 'http'?")
        .contains("Nothing was started");
  }

  @Test
  void argumentsNamingStoredObjectsMustBeIdsNotPaths() throws Exception {
    try (mockwebserver3.MockWebServer admin = new mockwebserver3.MockWebServer()) {
      admin.start();
      for (String[] args :
          new String[][] {
            {
              "destinations", "pause", "--admin-url", admin.url("/").toString(), "../../sources/web"
            },
            {"destinations", "resume", "--admin-url", admin.url("/").toString(), "..%2Fcanary"},
            {"dead-letters", "list", "--workspace", "w.yaml", "--destination", "../canary"},
            {
              "replay",
              "--workspace",
              "w.yaml",
              "--destination",
              "/tmp/x",
              "--from",
              "a",
              "--to",
              "b"
            }
          }) {
        StringWriter err = new StringWriter();
        CommandLine cli = WeirCli.commandLine();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute(args)).as(String.join(" ", args)).isEqualTo(2);
        assertThat(err.toString()).as(String.join(" ", args)).contains("is not a valid id");
      }
      assertThat(admin.getRequestCount()).as("no request reached the admin server").isZero();
    }
  }
}
