package dev.weir.host.cli;

import java.util.concurrent.Callable;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code weir destinations pause|resume|status <id>}: acts on a <b>running</b> Weir through its
 * admin API (the workspace needs a {@code server:} section). The token comes from {@code --token}
 * or {@code WEIR_ADMIN_TOKEN}.
 */
@Command(
    name = "destinations",
    mixinStandardHelpOptions = true,
    description = "Pause, resume or show a destination of a running Weir (through its admin API).",
    subcommands = {
      DestinationsCommand.Pause.class,
      DestinationsCommand.Resume.class,
      DestinationsCommand.Status.class
    })
final class DestinationsCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Shared options and the one HTTP call. */
  abstract static class AdminCall implements Callable<Integer> {
    @Option(
        names = "--admin-url",
        defaultValue = "http://127.0.0.1:8081",
        description = "The running Weir's admin server (${DEFAULT-VALUE}).")
    String adminUrl;

    @Option(
        names = "--token",
        description = "Admin token (default: the WEIR_ADMIN_TOKEN environment variable).")
    String token;

    @Parameters(index = "0", paramLabel = "<destination id>", converter = IdArgument.class)
    String id;

    abstract String method();

    abstract String action();

    @Override
    public Integer call() {
      String t = token != null ? token : System.getenv("WEIR_ADMIN_TOKEN");
      String url = adminUrl.replaceAll("/$", "") + "/api/v1/destinations/" + id + "/" + action();
      Request.Builder b = new Request.Builder().url(url);
      if (t != null) {
        b.header("Authorization", "Bearer " + t);
      }
      if (method().equals("POST")) {
        b.post(RequestBody.create("{}", MediaType.get("application/json")));
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

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description = "Stop sending; events accumulate.")
  static final class Pause extends AdminCall {
    @Override
    String method() {
      return "POST";
    }

    @Override
    String action() {
      return "pause";
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Resume sending from the cursor.")
  static final class Resume extends AdminCall {
    @Override
    String method() {
      return "POST";
    }

    @Override
    String action() {
      return "resume";
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Delivery status (JSON).")
  static final class Status extends AdminCall {
    @Override
    String method() {
      return "GET";
    }

    @Override
    String action() {
      return "status";
    }
  }
}
