package dev.weir.definitions.cli;

import dev.weir.definitions.Definition;
import dev.weir.definitions.Definitions;
import dev.weir.definitions.DryRun;
import dev.weir.definitions.LocalContext;
import dev.weir.runtime.Redactor;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import dev.weir.sdk.StreamingDestination;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code connector send def.yaml --to http://localhost:9999 --events sample.ndjson [--settings
 * file]}: sends for real, once, with every request (token requests included) redirected to the
 * given base URL, and prints the outcome per event. Exit 1 when any event was not delivered.
 */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = "Send events for real to a URL of your choice (scheme, host and port replaced).")
public final class SendCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DEFINITION")
  Path file;

  @Option(
      names = "--to",
      required = true,
      description = "base URL receiving every request, e.g. http://localhost:9999")
  String to;

  @Option(names = "--events", required = true, description = "NDJSON file of events")
  Path events;

  @Option(names = "--settings", description = "settings as YAML or JSON")
  Path settings;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Definition d = CommandFiles.load(file, spec.commandLine().getErr());
    if (d == null) {
      return 1;
    }
    HttpUrl target = HttpUrl.parse(to);
    if (target == null) {
      spec.commandLine().getErr().println("--to '" + to + "' is not an http(s) URL");
      return 2;
    }
    OkHttpClient http =
        new OkHttpClient.Builder()
            .addInterceptor(
                chain -> {
                  HttpUrl u =
                      chain
                          .request()
                          .url()
                          .newBuilder()
                          .scheme(target.scheme())
                          .host(target.host())
                          .port(target.port())
                          .build();
                  return chain.proceed(chain.request().newBuilder().url(u).build());
                })
            .build();
    Map<String, Object> s = CommandFiles.settings(settings);
    StreamingDestination dest = Definitions.destination(d);
    dest.start(new LocalContext("connector-send", s, http));
    List<Event> evs = CommandFiles.events(events);
    List<Outcome> outcomes;
    try {
      outcomes = dest.deliver(evs);
    } finally {
      dest.stop();
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
    int bad = 0;
    // The partner's answer may echo the credentials it was sent.
    Redactor redactor = DryRun.redactor(d, s);
    for (int i = 0; i < outcomes.size(); i++) {
      out.println("event " + i + ": " + redactor.redactCredentials(outcomes.get(i).toString()));
      if (outcomes.get(i).status() != Outcome.Status.DELIVERED) {
        bad++;
      }
    }
    out.flush();
    return bad == 0 ? 0 : 1;
  }
}
