package dev.weir.host;

import static dev.weir.host.TestSupport.ndjsonLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.host.config.WorkspaceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A declarative polling source named in a workspace ({@code sources[].definition: id@version})
 * pulls from a partner's export API (MockWebServer) into the store and on to a destination, and
 * keeps its cursor in the state store across a restart.
 */
class DefinitionSourceWorkspaceIT {
  @TempDir Path dir;
  @StartStop final MockWebServer partner = new MockWebServer();
  final List<String> since = new CopyOnWriteArrayList<>();
  final List<String> auth = new CopyOnWriteArrayList<>();

  private Path workspace(String pin) throws Exception {
    Files.createDirectories(dir.resolve("defs"));
    Files.writeString(
        dir.resolve("defs/pull.yaml"),
        """
        apiVersion: weir.dev/v1
        kind: Source
        metadata: {id: pull, name: Pull, version: 1.2.0, partner: P, category: data}
        settings:
          type: object
          required: [base_url, token]
          properties:
            base_url: {type: string}
            token: {type: string, secret: true}
        auth: {kind: bearer, token: "{{ settings.token }}"}
        source:
          interval_ms: 1000
          request:
            url: "{{ settings.base_url }}/export"
            query: {since: "{{ cursor ? cursor : '0' }}"}
          records: "data"
          event: '{"event_type": record.name, "user_id": record.user, "insert_id": "pull-" & record.id, "time": record.t}'
          cursor: "$string($max(records.t))"
        tests:
          - name: one page
            settings: {base_url: "http://x", token: "tok-secret"}
            responses: [{status: 200, body: {data: [{id: "1", name: A, user: u, t: 1700000000000}]}}]
            expect:
              events: [{event_type: A, user_id: u, insert_id: pull-1, time: 1700000000000}]
        """);
    Files.writeString(
        dir.resolve("workspace.yaml"),
        """
        store: { dir: "%s/store", partitions: 1 }
        definitions_dir: defs
        sources:
          - id: partner-export
            definition: "%s"
            settings: { base_url: "%s", token: "${env:PULL_TOKEN}" }
        destinations:
          - id: files
            type: file
            settings: { dir: "%s/out", max_file_age_ms: 200 }
            delivery: { max_batch_delay_ms: 0 }
        routes:
          - { from: partner-export, to: [ files ] }
        """
            .formatted(dir, pin, partner.url("").toString().replaceAll("/$", ""), dir));
    return dir.resolve("workspace.yaml");
  }

  private void serve() {
    partner.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            String s = r.getUrl().queryParameter("since");
            since.add(s);
            auth.add(String.valueOf(r.getHeaders().get("Authorization")));
            String data =
                switch (s) {
                  case "0" ->
                      "[{\"id\":\"1\",\"name\":\"Invoice Paid\",\"user\":\"c1\",\"t\":1700000001000},"
                          + "{\"id\":\"2\",\"name\":\"Refund\",\"user\":\"c2\",\"t\":1700000002000}]";
                  case "1700000002000" ->
                      "[{\"id\":\"3\",\"name\":\"Invoice Paid\",\"user\":\"c3\",\"t\":1700000003000}]";
                  default -> "[]";
                };
            return new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json")
                .body("{\"data\":" + data + "}")
                .build();
          }
        });
  }

  private Weir start(Path ws) throws Exception {
    return Weir.builder().workspace(ws).env(Map.of("PULL_TOKEN", "pull-secret-1")::get).start();
  }

  @Test
  void aDefinitionSourcePollsIntoTheStoreAndResumesFromItsStoredCursor() throws Exception {
    serve();
    Path ws = workspace("pull@1.x");
    Path out = dir.resolve("out");
    try (Weir weir = start(ws)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> ndjsonLines(out).size() == 3);
      assertThat(since).startsWith("0", "1700000002000");
    }
    assertThat(String.join("\n", ndjsonLines(out)))
        .contains(
            "\"insert_id\":\"pull-1\"", "\"insert_id\":\"pull-2\"", "\"insert_id\":\"pull-3\"")
        .contains("\"source_id\":\"partner-export\"");
    assertThat(auth).allMatch(a -> a.equals("Bearer pull-secret-1"));

    // restarted, it starts from the cursor in its state store, not from the beginning
    since.clear();
    try (Weir weir = start(ws)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> !since.isEmpty());
      assertThat(since.get(0)).isEqualTo("1700000003000");
    }
    assertThat(ndjsonLines(out)).hasSize(3);
  }

  @Test
  void aDestinationDefinitionNamedAsASourceIsRefusedWithItsLocation() throws Exception {
    Path ws = workspace("pull@9.x");
    WorkspaceException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            WorkspaceException.class, () -> start(ws).close());
    assertThat(e).isNotNull();
    assertThat(e.getMessage())
        .contains("source 'partner-export': definition: no definition 'pull@9.x'")
        .contains("installed versions: [1.2.0]");
  }
}
