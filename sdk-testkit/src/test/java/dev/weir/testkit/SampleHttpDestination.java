package dev.weir.testkit;

import dev.weir.sdk.ConnectorContext;
import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import dev.weir.sdk.StreamingDestination;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A minimal well-behaved HTTP destination that the suite's own tests run the conformance checks
 * against.
 */
class SampleHttpDestination extends StreamingDestination {
  private volatile OkHttpClient http;
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
    http = ctx.httpClient();
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
    Request req =
        new Request.Builder()
            .url(url)
            .header("Authorization", "Bearer " + token)
            .post(RequestBody.create(body, MediaType.get("application/json")))
            .build();
    try (Response resp = http.newCall(req).execute()) {
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
