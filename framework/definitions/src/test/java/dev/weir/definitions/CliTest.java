package dev.weir.definitions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.definitions.cli.ConnectorCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The partner tools, run as the host would mount them: {@code connector
 * validate|test|send|upgrade-check}.
 */
class CliTest {
  static final Path EXAMPLES = ExamplesTest.EXAMPLES;
  @TempDir Path tmp;
  @StartStop final MockWebServer server = new MockWebServer();

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new ConnectorCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void validateAcceptsAGoodDefinitionAndListsEveryProblemOfABadOne() {
    Run ok = run("validate", EXAMPLES.resolve("crm-upsert.yaml").toString());
    assertThat(ok.code()).isZero();
    assertThat(ok.out()).contains("ok (Destination crm-upsert-style@2.1.0");
    Path bad = Path.of("src/test/resources/broken/bad-http-method.yaml");
    Run r = run("validate", bad.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains(bad + ":28:").contains("/requests/0/method");
  }

  @Test
  void testWithoutEventsRunsTheFixturesAndPasses() {
    Run r = run("test", EXAMPLES.resolve("marketing-track.yaml").toString());
    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out())
        .contains("PASS per-event errors listed out of order")
        .contains("all fixtures passed");
  }

  @Test
  void aFixtureMismatchExitsOneWithADiff() throws Exception {
    String text =
        Files.readString(EXAMPLES.resolve("crm-upsert.yaml"))
            .replace("id: ann@example.com", "id: someone-else@example.com");
    Path f = tmp.resolve("crm.yaml");
    Files.writeString(f, text);
    Run r = run("test", f.toString());
    assertThat(r.code()).isEqualTo(1);
    String legend = "(- expected by the fixture, + what the definition produced)";
    String expected = "-     \"id\" : \"someone-else@example.com\"";
    String actual = "+     \"id\" : \"ann@example.com\"";
    assertThat(r.out()).contains("FAIL two identifies", legend, expected, actual);
    assertThat(r.out().indexOf(legend)).isLessThan(r.out().indexOf(expected));
    assertThat(r.out().indexOf(expected))
        .as("expected before actual")
        .isLessThan(r.out().indexOf(actual));
  }

  @Test
  void testWithEventsPrintsRequestsWithMaskedSecretsBatchBoundariesAndOutcomes() throws Exception {
    Path events = tmp.resolve("events.ndjson");
    StringBuilder nd = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      nd.append("{\"event_type\":\"Clicked\",\"user_id\":\"u")
          .append(i)
          .append("\",\"insert_id\":\"i")
          .append(i)
          .append("\",\"time\":1700000000000}\n");
    }
    Files.writeString(events, nd.toString());
    Path settings = tmp.resolve("settings.yaml");
    Files.writeString(
        settings,
        "api_key: braze-secret-key\nrest_endpoint: https://rest.iad-01.example-engage.com\n");
    Path responses = tmp.resolve("responses.json");
    Files.writeString(
        responses,
        "[{\"status\":201,\"body\":{\"errors\":[{\"input_array\":\"events\",\"index\":4,"
            + "\"type\":\"bad\"}]}}]");
    Run r =
        run(
            "test",
            EXAMPLES.resolve("marketing-track.yaml").toString(),
            "--events",
            events.toString(),
            "--settings",
            settings.toString(),
            "--responses",
            responses.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("--- request 1 (action track, events [0, 1, 2, 3, 4])")
        .contains("POST https://rest.iad-01.example-engage.com/users/track")
        .contains("Authorization: Bearer ****")
        .doesNotContain("braze-secret-key")
        .contains("=> event 0: delivered")
        .contains("=> event 4: dead-letter (HTTP 201: bad)");
  }

  @Test
  void theShippedSampleInputsRunThroughTheDryRun() {
    Path samples = EXAMPLES.resolve("samples");
    Run r =
        run(
            "test",
            EXAMPLES.resolve("marketing-track.yaml").toString(),
            "--events",
            samples.resolve("marketing-track.events.ndjson").toString(),
            "--settings",
            samples.resolve("marketing-track.settings.yaml").toString(),
            "--responses",
            samples.resolve("marketing-track.responses.json").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("--- request 1 (action track, events [0, 1, 3])")
        .contains("=> event 0: delivered")
        .contains("=> event 1: delivered")
        .contains("=> event 3: dead-letter (HTTP 201: 'external_id' or 'user_alias' is required)")
        .contains("=> event 2: no action triggered")
        .doesNotContain("replace-with-your-key");
  }

  @Test
  void sendDeliversForRealToTheGivenUrl() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body("{}").build());
    Path events = tmp.resolve("e.ndjson");
    Files.writeString(
        events,
        "{\"event_type\":\"Song Played\",\"device_id\":\"d\",\"insert_id\":\"s\","
            + "\"time\":1700000000000}\n");
    Path settings = tmp.resolve("s.yaml");
    Files.writeString(
        settings, "project_id: \"1\"\nservice_account_user: u\nservice_account_secret: p\n");
    Run r =
        run(
            "send",
            EXAMPLES.resolve("analytics-forwarder.yaml").toString(),
            "--to",
            server.url("/").toString(),
            "--events",
            events.toString(),
            "--settings",
            settings.toString());
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("event 0: DELIVERED");
    RecordedRequest req = server.takeRequest();
    assertThat(req.getUrl().encodedPath()).isEqualTo("/import");
    assertThat(req.getUrl().queryParameter("project_id")).isEqualTo("1");
    assertThat(req.getHeaders().get("Authorization")).startsWith("Basic ");
    assertThat(req.getBody().utf8()).contains("\"$insert_id\":\"s\"");
  }

  @Test
  void sendNamesARefusedTokenRequestWithItsStatusAndErrorBodyAndMasksTheSecret() throws Exception {
    server.enqueue(
        new MockResponse.Builder().code(401).body("{\"error\":\"invalid_client\"}").build());
    Path def = tmp.resolve("oauth.yaml");
    Files.writeString(
        def,
        """
        apiVersion: weir.dev/v1
        kind: Destination
        metadata: {id: oauth, name: OAuth, version: 1.0.0, partner: P, category: other}
        settings:
          type: object
          properties:
            id: {type: string}
            secret: {type: string, secret: true}
        auth:
          kind: oauth2
          grant: client_credentials
          token_url: "https://auth.example/token"
          client_id: "{{ settings.id }}"
          client_secret: "{{ settings.secret }}"
        requests:
          - name: a
            trigger: {where: "true"}
            method: POST
            url: "https://api.example/in"
            body: '{"ids": [events.insert_id]}'
        delivery: {mode: batch, batch: {max_events: 100}}
        tests:
          - {name: t, settings: {}, events: [{event_type: X}], expect: {}}
        """);
    Path events = tmp.resolve("e.ndjson");
    Files.writeString(events, "{\"event_type\":\"X\",\"device_id\":\"d\",\"insert_id\":\"s\"}\n");
    Path settings = tmp.resolve("s.yaml");
    Files.writeString(settings, "id: cid\nsecret: s3cr3t-token-value\n");
    Run r =
        run(
            "send",
            def.toString(),
            "--to",
            server.url("/").toString(),
            "--events",
            events.toString(),
            "--settings",
            settings.toString());
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.out())
        .contains(
            "event 0: RETRY(OAuth2 token request POST https://auth.example/token answered HTTP"
                + " 401: {\"error\":\"invalid_client\"})[401]")
        .doesNotContain("s3cr3t-token-value");
    assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/token");
  }

  @Test
  void upgradeCheckReportsBreakingChanges() throws Exception {
    Path older = EXAMPLES.resolve("crm-upsert.yaml");
    String text =
        Files.readString(older)
            .replace("required: [access_token]", "required: [access_token, portal_id]")
            .replace("    lifecycle_stage:", "    portal_id: {type: string}\n    lifecycle_stage:")
            .replace(
                "kind: bearer\n  token:", "kind: api_key\n  in: header\n  name: X-Key\n  value:")
            .replace("version: 2.1.0", "version: 2.2.0")
            .replace(
                "\n    method: POST",
                "\n    headers: {X-Portal: \"{{ settings.portal_id }}\"}\n    method: POST")
            .replace(
                "settings: {access_token: \"pat-na1-secret\", lifecycle_stage: customer}",
                "settings: {access_token: \"pat-na1-secret\", lifecycle_stage: customer, portal_id: p}")
            .replace(
                "settings: {access_token: \"pat-na1-secret\"}",
                "settings: {access_token: \"pat-na1-secret\", portal_id: p}")
            .replace("headers: {Authorization: Bearer ****}", "headers: {X-Key: \"****\"}");
    Path newer = tmp.resolve("crm-2.2.0.yaml");
    Files.writeString(newer, text);
    Run r = run("upgrade-check", older.toString(), newer.toString());
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.out())
        .contains("new required setting 'portal_id'")
        .contains("auth kind changed from bearer to api_key")
        .contains("without a new major version");
    Run same = run("upgrade-check", older.toString(), older.toString());
    assertThat(same.code()).isZero();
    assertThat(same.out()).contains("no breaking changes");
  }
}
