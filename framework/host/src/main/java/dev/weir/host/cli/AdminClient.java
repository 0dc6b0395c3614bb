package dev.weir.host.cli;

import java.io.IOException;
import java.io.PrintStream;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import picocli.CommandLine.Option;

/**
 * The one way CLI commands call a <b>running</b> Weir's admin API: the {@code --admin-url} and
 * {@code --token} options (mixed into each command) and a single HTTP call that prints the answer
 * (to stdout on success, stderr otherwise) and turns it into an exit code. The token comes from
 * {@code --token} or the {@code WEIR_ADMIN_TOKEN} environment variable. Not thread-safe; one per
 * command invocation.
 */
final class AdminClient {
  @Option(
      names = "--admin-url",
      defaultValue = "http://127.0.0.1:8081",
      description = "The running Weir's admin server (${DEFAULT-VALUE}).")
  String adminUrl;

  @Option(
      names = "--token",
      description = "Admin token (default: the WEIR_ADMIN_TOKEN environment variable).")
  String token;

  PrintStream out = System.out;
  PrintStream err = System.err;

  /** An answer of the admin API. */
  record Answer(int code, String body) {
    boolean ok() {
      return code >= 200 && code < 300;
    }
  }

  /**
   * Calls {@code method} on the admin API path made of {@code segments} (each URL-encoded, so an id
   * can never reach another endpoint); {@code jsonBody} null sends none. Prints the answer and
   * returns the exit code: 0 on a 2xx answer, {@link WeirCli#RUN_ERROR} otherwise.
   */
  int call(String method, String jsonBody, String... segments) {
    Answer a = fetch(method, jsonBody, segments);
    if (a == null) {
      return WeirCli.RUN_ERROR;
    }
    (a.ok() ? out : err).println(a.body());
    return a.ok() ? 0 : WeirCli.RUN_ERROR;
  }

  /**
   * Like {@link #call} without printing the answer; null (after printing why to stderr) when the
   * admin API cannot be reached.
   */
  Answer fetch(String method, String jsonBody, String... segments) {
    HttpUrl base = HttpUrl.parse(adminUrl.replaceAll("/+$", "") + "/");
    if (base == null) {
      err.println("--admin-url is not an http(s) URL: " + adminUrl);
      return null;
    }
    HttpUrl.Builder url = base.newBuilder();
    for (String s : segments) {
      url.addPathSegment(s);
    }
    Request.Builder b = new Request.Builder().url(url.build());
    String t = token != null ? token : System.getenv("WEIR_ADMIN_TOKEN");
    if (t != null) {
      b.header("Authorization", "Bearer " + t);
    }
    RequestBody body =
        jsonBody == null ? null : RequestBody.create(jsonBody, MediaType.get("application/json"));
    b.method(method, body);
    OkHttpClient client = new OkHttpClient();
    try (Response r = client.newCall(b.build()).execute()) {
      return new Answer(r.code(), r.body().string());
    } catch (IOException e) {
      err.println(
          "cannot reach the admin API at "
              + adminUrl
              + ": "
              + e.getMessage()
              + " (is Weir running with a server: section?)");
      return null;
    } finally {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }
}
