package dev.weir.definitions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.sdk.ConnectorMetrics;
import dev.weir.sdk.Event;
import dev.weir.sdk.Settings;
import dev.weir.sdk.SourceContext;
import dev.weir.sdk.StateStore;
import dev.weir.sdk.SubmitResult;
import dev.weir.sdk.http.HttpClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;

/**
 * Runs a {@code kind: Source} fixture offline: one poll against the recorded pages (served in order
 * by an interceptor, nothing leaves the process; an OAuth2 token request gets a placeholder token),
 * then compares the requested URLs and the submitted events with the expectation. Stateless;
 * thread-safe.
 */
final class SourceFixtures {
  private SourceFixtures() {}

  static FixtureRunner.Result run(Definition def, DefinitionModel.Fixture f) {
    List<String> diff = new ArrayList<>();
    List<String> urls = new ArrayList<>();
    int[] next = {0};
    String tokenUrl =
        def.auth.text("token_url") == null
            ? null
            : def.auth.text("token_url").render(Map.of("settings", def.withDefaults(f.settings())));
    OkHttpClient http =
        new OkHttpClient.Builder()
            .addInterceptor(
                chain -> {
                  String url = chain.request().url().toString();
                  String body;
                  int status;
                  if (url.equals(tokenUrl)) {
                    status = 200;
                    body = "{\"access_token\":\"" + DryRun.OAUTH_PLACEHOLDER + "\"}";
                  } else {
                    urls.add(DryRun.mask(def, def.withDefaults(f.settings()), "", url));
                    DefinitionModel.ResponseFixture r =
                        f.responses().get(Math.min(next[0]++, f.responses().size() - 1));
                    status = r.status();
                    body =
                        r.body() == null
                            ? ""
                            : r.body().isTextual() ? r.body().asText() : r.body().toString();
                  }
                  return new Response.Builder()
                      .request(chain.request())
                      .protocol(Protocol.HTTP_1_1)
                      .code(status)
                      .message("recorded")
                      .body(ResponseBody.create(body, MediaType.get("application/json")))
                      .build();
                })
            .build();
    List<Event> submitted = Collections.synchronizedList(new ArrayList<>());
    LocalContext base = new LocalContext("fixture", f.settings(), http);
    SourceContext ctx =
        new SourceContext() {
          @Override
          public CompletionStage<SubmitResult> submit(List<Event> events) {
            submitted.addAll(events);
            return CompletableFuture.completedFuture(
                new SubmitResult(
                    Collections.nCopies(events.size(), SubmitResult.EventStatus.STORED)));
          }

          @Override
          public String connectionId() {
            return base.connectionId();
          }

          @Override
          public Settings settings() {
            return base.settings();
          }

          @Override
          public Logger logger() {
            return base.logger();
          }

          @Override
          public ConnectorMetrics metrics() {
            return base.metrics();
          }

          @Override
          public HttpClient http() {
            return base.http();
          }

          @Override
          public StateStore state() {
            return base.state();
          }
        };
    DefinitionSource source = new DefinitionSource(def);
    try {
      source.init(ctx);
      source.pollOnce();
    } catch (Exception e) {
      diff.add("+ the poll failed: " + e.getMessage());
    }
    StringBuilder transcript = new StringBuilder();
    urls.forEach(u -> transcript.append("GET ").append(u).append('\n'));
    submitted.forEach(e -> transcript.append("=> ").append(e.toMap()).append('\n'));
    JsonNode want = f.expectRequests();
    if (want != null) {
      for (int i = 0; i < Math.max(want.size(), urls.size()); i++) {
        String w = i < want.size() ? want.get(i).path("url").asText() : "(none)";
        String g = i < urls.size() ? urls.get(i) : "(none)";
        if (!w.equals(g)) {
          diff.add("- request " + (i + 1) + " url " + w);
          diff.add("+ request " + (i + 1) + " url " + g);
        }
      }
    }
    JsonNode events = f.expectEvents();
    if (events != null) {
      for (int i = 0; i < Math.max(events.size(), submitted.size()); i++) {
        JsonNode w = i < events.size() ? events.get(i) : null;
        JsonNode g =
            i < submitted.size() ? RequestPlanner.JSON.valueToTree(submitted.get(i).toMap()) : null;
        if (w == null || g == null || !FixtureRunner.numericEquals(w, g)) {
          diff.add("- event " + i + ": " + (w == null ? "(none)" : w));
          diff.add("+ event " + i + ": " + (g == null ? "(none)" : g));
        }
      }
    }
    return new FixtureRunner.Result(f.name(), diff.isEmpty(), diff, transcript.toString());
  }
}
