package dev.weir.testkit;

import dev.weir.sdk.ConnectorContext;
import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import dev.weir.sdk.StreamingDestination;
import dev.weir.sdk.http.HttpClient;
import dev.weir.sdk.http.HttpRequest;
import dev.weir.sdk.http.HttpResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A minimal well-behaved HTTP destination that the suite's own tests run the conformance checks
 * against.
 */
class SampleHttpDestination extends StreamingDestination {
  private volatile HttpClient http;
  private volatile String url;
  private volatile String token;
  private volatile ConnectorContext context;

  @Override
  public ConnectorSpec spec() {
    return ConnectorSpec.builder("sample-http")
        .version("1.0.0")
        .settingsSchema(
            """
        {"type":"object","additionalProperties":false,"required":["url","api_token"],"properties":{
          "url":{"type":"string","description":"Where to POST."},
          "api_token":{"type":"string","secret":true,"description":"Bearer token."},
          "retries":{"type":"integer","default":0,"description":"Unused."}}}""")
        .build();
  }

  @Override
  public void start(ConnectorContext ctx) {
    context = ctx;
    http = ctx.http();
    url = ctx.settings().requireString("url");
    token = ctx.settings().requireString("api_token");
    ctx.logger().info("posting to {}", url);
  }

  @Override
  public List<Outcome> deliver(List<Event> batch) throws IOException {
    String body =
        batch.stream()
            .map(e -> "\"" + e.insertId() + "\"")
            .collect(Collectors.joining(",", "[", "]"));
    HttpRequest req =
        HttpRequest.builder(url)
            .method("POST")
            .header("Authorization", "Bearer " + token)
            .body(body, "application/json")
            .build();
    HttpResponse resp = http.execute(req);
    {
      context.metrics().counter("requests", "code", String.valueOf(resp.code())).increment();
      Outcome o =
          resp.isSuccessful()
              ? Outcome.delivered()
              : resp.code() >= 500
                  ? Outcome.retry("HTTP " + resp.code()).withStatusCode(resp.code())
                  : Outcome.rejected("HTTP " + resp.code()).withStatusCode(resp.code());
      return Collections.nCopies(batch.size(), o);
    }
  }
}
