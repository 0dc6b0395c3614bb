package dev.weir.host.cli;

import java.util.concurrent.Callable;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weir store stats}: what a <b>running</b> Weir's store holds and keeps, and why (through
 * its admin API, {@code GET /api/v1/store}). The token comes from {@code --token} or {@code
 * WEIR_ADMIN_TOKEN}.
 */
@Command(
    name = "store",
    mixinStandardHelpOptions = true,
    description = "Show the store of a running Weir (through its admin API).",
    subcommands = {StoreCommand.Stats.class})
final class StoreCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  @Command(
      name = "stats",
      mixinStandardHelpOptions = true,
      description =
          "Blocks, chunks, dedup window and key index, memory, counters, and what retention keeps"
              + " and why.")
  static final class Stats implements Callable<Integer> {
    @Option(
        names = "--admin-url",
        defaultValue = "http://127.0.0.1:8081",
        description = "The running Weir's admin server (${DEFAULT-VALUE}).")
    String adminUrl;

    @Option(
        names = "--token",
        description = "Admin token (default: the WEIR_ADMIN_TOKEN environment variable).")
    String token;

    @Override
    public Integer call() {
      String t = token != null ? token : System.getenv("WEIR_ADMIN_TOKEN");
      Request.Builder b =
          new Request.Builder().url(adminUrl.replaceAll("/$", "") + "/api/v1/store");
      if (t != null) {
        b.header("Authorization", "Bearer " + t);
      }
      OkHttpClient client = new OkHttpClient();
      try (Response r = client.newCall(b.build()).execute()) {
        String body = r.body().string();
        (r.isSuccessful() ? System.out : System.err).println(body);
        return r.isSuccessful() ? 0 : WeirCli.RUN_ERROR;
      } catch (java.io.IOException e) {
        System.err.println(
            "cannot reach the admin API at "
                + adminUrl
                + ": "
                + e.getMessage()
                + " (is Weir running with a server: section?)");
        return WeirCli.RUN_ERROR;
      } finally {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
      }
    }
  }
}
