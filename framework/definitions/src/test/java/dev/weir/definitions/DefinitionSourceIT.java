package dev.weir.definitions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.sdk.Event;
import dev.weir.sdk.SourceContext;
import dev.weir.sdk.SubmitResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * The example export source polls MockWebServer: auth, cursor pagination, mapping, persisted
 * cursor.
 */
class DefinitionSourceIT {
  @StartStop final MockWebServer server = new MockWebServer();

  /** A source context over {@link LocalContext} that records what was submitted. */
  static final class Recording implements SourceContext {
    final LocalContext base;
    final List<Event> submitted = Collections.synchronizedList(new ArrayList<>());

    Recording(LocalContext base) {
      this.base = base;
    }

    @Override
    public CompletionStage<SubmitResult> submit(List<Event> events) {
      submitted.addAll(events);
      return CompletableFuture.completedFuture(
          new SubmitResult(Collections.nCopies(events.size(), SubmitResult.EventStatus.STORED)));
    }

    @Override
    public String connectionId() {
      return base.connectionId();
    }

    @Override
    public dev.weir.sdk.Settings settings() {
      return base.settings();
    }

    @Override
    public org.slf4j.Logger logger() {
      return base.logger();
    }

    @Override
    public dev.weir.sdk.ConnectorMetrics metrics() {
      return base.metrics();
    }

    @Override
    public dev.weir.sdk.http.HttpClient http() {
      return base.http();
    }

    @Override
    public dev.weir.sdk.StateStore state() {
      return base.state();
    }
  }

  private static MockResponse page(String body) {
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  @Test
  void pollsEveryPageMapsRecordsWithInsertIdsAndResumesFromThePersistedCursor() throws Exception {
    String yaml =
        java.nio.file.Files.readString(ExamplesTest.EXAMPLES.resolve("export-source.yaml"))
            .replace(
                "https://api.example-export.com", server.url("").toString().replaceAll("/$", ""));
    Definition d = Definitions.parse("export-source.yaml", yaml);
    server.enqueue(
        page(
            """
        {"data": [{"id": "1", "name": "Invoice Paid", "customer": {"id": "c1"}, "occurred_at": "2024-03-01T10:00:00.000Z",
                   "attributes": {"amount": 10}},
                  {"id": "2", "name": "Invoice Paid", "customer": {"id": "c2"}, "occurred_at": "2024-03-01T11:00:00.000Z"}],
         "next_cursor": "p2"}"""));
    server.enqueue(
        page(
            """
        {"data": [{"id": "3", "name": "Refund", "customer": {"id": "c1"}, "occurred_at": "2024-03-02T09:30:00.000Z"}],
         "next_cursor": null}"""));
    server.enqueue(page("{\"data\": [], \"next_cursor\": null}"));

    LocalContext.MemoryState state = new LocalContext.MemoryState();
    Recording ctx =
        new Recording(
            new LocalContext(
                "export", Map.of("api_token", "tok-secret"), new OkHttpClient(), state));
    DefinitionSource source = (DefinitionSource) Definitions.source(d);
    source.init(ctx);
    assertThat(source.pollOnce()).isEqualTo(3);
    assertThat(ctx.submitted)
        .extracting(Event::insertId)
        .containsExactly("export-1", "export-2", "export-3");
    assertThat(ctx.submitted.get(0).eventType()).isEqualTo("Invoice Paid");
    assertThat(ctx.submitted.get(0).userId()).isEqualTo("c1");
    assertThat(ctx.submitted.get(0).time()).isEqualTo(1709287200000L);
    assertThat(ctx.submitted.get(0).eventProperties()).containsEntry("amount", 10);

    RecordedRequest first = server.takeRequest();
    assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer tok-secret");
    assertThat(first.getUrl().queryParameter("since")).isEqualTo("2024-01-01T00:00:00Z");
    assertThat(first.getUrl().queryParameter("limit")).isEqualTo("500");
    assertThat(first.getUrl().queryParameter("cursor")).isNull();
    RecordedRequest second = server.takeRequest();
    assertThat(second.getUrl().queryParameter("cursor")).isEqualTo("p2");
    assertThat(state.get(DefinitionSource.CURSOR_KEY)).contains("2024-03-02T09:30:00.000Z");

    // the next poll (e.g. after a restart) starts from the persisted cursor
    assertThat(source.pollOnce()).isZero();
    RecordedRequest third = server.takeRequest();
    assertThat(third.getUrl().queryParameter("since")).isEqualTo("2024-03-02T09:30:00.000Z");
  }

  private Definition paged(String pagination) throws DefinitionException {
    return Definitions.parse(
        "paged.yaml",
        """
        apiVersion: weir.dev/v1
        kind: Source
        metadata: {id: paged, name: Paged, version: 1.0.0, partner: P, category: data}
        source:
          interval_ms: 60000
          request: {url: "%s/items"}
          pagination: %s
          records: "items"
          event: '{"event_type": "Item", "insert_id": "it-" & record.id}'
        """
            .formatted(server.url("").toString().replaceAll("/$", ""), pagination));
  }

  private List<String> poll(Definition d) throws Exception {
    Recording ctx = new Recording(new LocalContext("p", Map.of(), new OkHttpClient()));
    DefinitionSource source = (DefinitionSource) Definitions.source(d);
    source.init(ctx);
    source.pollOnce();
    return ctx.submitted.stream().map(Event::insertId).toList();
  }

  @Test
  void nextLinkPaginationFollowsTheLinkUntilThereIsNone() throws Exception {
    String next = server.url("/items?after=2").toString();
    server.enqueue(
        page("{\"items\": [{\"id\": 1}, {\"id\": 2}], \"links\": {\"next\": \"" + next + "\"}}"));
    server.enqueue(page("{\"items\": [{\"id\": 3}], \"links\": {}}"));
    assertThat(poll(paged("{kind: next_link, next: \"links.next\"}")))
        .containsExactly("it-1", "it-2", "it-3");
    server.takeRequest();
    assertThat(server.takeRequest().getUrl().queryParameter("after")).isEqualTo("2");
  }

  @Test
  void offsetPaginationStopsAtAShortPage() throws Exception {
    server.enqueue(page("{\"items\": [{\"id\": 1}, {\"id\": 2}]}"));
    server.enqueue(page("{\"items\": [{\"id\": 3}]}"));
    assertThat(poll(paged("{kind: offset, param: offset, size_param: limit, page_size: 2}")))
        .containsExactly("it-1", "it-2", "it-3");
    assertThat(server.takeRequest().getUrl().queryParameter("offset")).isEqualTo("0");
    RecordedRequest second = server.takeRequest();
    assertThat(second.getUrl().queryParameter("offset")).isEqualTo("2");
    assertThat(second.getUrl().queryParameter("limit")).isEqualTo("2");
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void pagePaginationCountsPagesFromOne() throws Exception {
    server.enqueue(page("{\"items\": [{\"id\": 1}]}"));
    server.enqueue(page("{\"items\": []}"));
    assertThat(poll(paged("{kind: page, param: page, page_size: 1}"))).containsExactly("it-1");
    assertThat(server.takeRequest().getUrl().queryParameter("page")).isEqualTo("1");
    assertThat(server.takeRequest().getUrl().queryParameter("page")).isEqualTo("2");
  }

  @Test
  void aRefusedPollNamesTheRequestStatusAndErrorBodyWithTheSecretMasked() throws Exception {
    String yaml =
        java.nio.file.Files.readString(ExamplesTest.EXAMPLES.resolve("export-source.yaml"))
            .replace(
                "https://api.example-export.com", server.url("").toString().replaceAll("/$", ""));
    Definition d = Definitions.parse("export-source.yaml", yaml);
    server.enqueue(
        new MockResponse.Builder()
            .code(403)
            .body("{\"error\": \"token tok-secret was revoked\"}")
            .build());
    Recording ctx =
        new Recording(
            new LocalContext(
                "export",
                Map.of("api_token", "tok-secret"),
                new OkHttpClient(),
                new LocalContext.MemoryState()));
    DefinitionSource source = (DefinitionSource) Definitions.source(d);
    source.init(ctx);
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(source::pollOnce);
    assertThat(t).isInstanceOf(java.io.IOException.class);
    assertThat(t.getMessage())
        .startsWith("source endpoint GET " + server.url("") + "v1/")
        .contains("answered HTTP 403: {\"error\": \"token " + dev.weir.runtime.Redactor.MASK)
        .contains(" was revoked\"}")
        .doesNotContain("tok-secret")
        .doesNotContain("?");
    assertThat(ctx.submitted).isEmpty();
  }

  @Test
  void aRetryAfterFromTheSourceEndpointHoldsTheNextPollsUntilItHasPassed() throws Exception {
    long[] now = {1_700_000_000_000L};
    server.enqueue(
        new MockResponse.Builder().code(429).addHeader("Retry-After", "120").body("slow").build());
    server.enqueue(page("{\"items\": [{\"id\": 1}]}"));
    Recording ctx = new Recording(new LocalContext("p", Map.of(), new OkHttpClient()));
    DefinitionSource source = new DefinitionSource(paged("{kind: none}"), () -> now[0]);
    source.init(ctx);
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(source::pollOnce);
    assertThat(t).hasMessageContaining("answered HTTP 429: slow; next poll in 120 s");
    now[0] += 119_000;
    assertThat(source.pollOnce()).as("within Retry-After: no request").isZero();
    assertThat(server.getRequestCount()).isEqualTo(1);
    now[0] += 1_000;
    assertThat(source.pollOnce()).isEqualTo(1);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }
}
