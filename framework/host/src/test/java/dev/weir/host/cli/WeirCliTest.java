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
  void anUnknownCommandWithHelpNamesTheMistakeAndExits64() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = WeirCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("nosuch", "--help")).isEqualTo(64);
    assertThat(err.toString()).contains("Unknown command 'nosuch'");
    assertThat(out.toString()).doesNotContain("Usage: weir");
    StringWriter err2 = new StringWriter();
    CommandLine cli2 = WeirCli.commandLine();
    cli2.setErr(new PrintWriter(err2));
    assertThat(cli2.execute("plugins", "lst", "--help")).isEqualTo(64);
    assertThat(err2.toString()).contains("Unknown command 'lst'").contains("list");
  }

  @Test
  void planCheckReadsAmplitudeAndSegmentPayloads() throws Exception {
    java.nio.file.Path plan =
        java.nio.file.Path.of(
            "..", "..", "portal-config-examples", "tracking-plans", "b2b-saas-v1.yaml");
    java.nio.file.Path amp = java.nio.file.Files.createTempFile("amplitude", ".ndjson");
    java.nio.file.Files.writeString(
        amp,
        "{\"api_key\":\"k\",\"events\":[{\"event_type\":\"Workspace Created\",\"user_id\":\"usr_01\","
            + "\"insert_id\":\"a-1\",\"event_properties\":{\"workspace_id\":\"ws_a1b2c3d4\","
            + "\"template\":\"kanban\",\"role\":\"owner\"}},"
            + "{\"event_type\":\"Not In Plan\",\"user_id\":\"usr_01\",\"insert_id\":\"a-2\"}]}\n");
    StringWriter out = new StringWriter();
    CommandLine cli = WeirCli.commandLine();
    cli.setOut(new PrintWriter(out));
    int code =
        cli.execute(
            "plan", "check", "--plan", plan.toString(), "--format", "amplitude", amp.toString());
    assertThat(out.toString())
        .contains("Checked 2 events")
        .contains("1 passed")
        .contains("1 blocked")
        .contains("Not In Plan");
    assertThat(code).isEqualTo(1);

    java.nio.file.Path seg = java.nio.file.Files.createTempFile("segment", ".ndjson");
    java.nio.file.Files.writeString(
        seg,
        "{\"type\":\"track\",\"event\":\"Workspace Created\",\"userId\":\"usr_01\","
            + "\"messageId\":\"s-1\",\"properties\":{\"workspace_id\":\"ws_a1b2c3d4\","
            + "\"template\":\"kanban\",\"role\":\"owner\"}}\n");
    StringWriter out2 = new StringWriter();
    CommandLine cli2 = WeirCli.commandLine();
    cli2.setOut(new PrintWriter(out2));
    int code2 =
        cli2.execute(
            "plan", "check", "--plan", plan.toString(), "--format", "segment", seg.toString());
    assertThat(out2.toString()).contains("Checked 1 events").contains("1 passed");
    assertThat(code2).as(out2.toString()).isZero();
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
