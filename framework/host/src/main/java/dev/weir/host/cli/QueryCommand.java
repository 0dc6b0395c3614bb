package dev.weir.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.admin.StoreQueries;
import dev.weir.host.Weir;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code weir query '<json>'}: runs a store query (the body of {@code POST /api/v1/store/query},
 * see docs/admin-api.md) against a running Weir's admin API ({@code --url}) or offline on a
 * workspace's store ({@code --workspace}; stop Weir first), and prints the answer as a table (or
 * the JSON with {@code --json}).
 */
@Command(
    name = "query",
    description =
        "Query the real-time store (segmentation, funnel, retention, audience) and print a table.")
final class QueryCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(
      index = "0",
      paramLabel = "<query>",
      description = "The query as JSON, or @file to read it from a file.")
  String query;

  @Option(
      names = {"-w", "--workspace"},
      paramLabel = "<file>",
      description = "Run offline on this workspace's store.")
  Path workspace;

  @Option(
      names = "--url",
      paramLabel = "<url>",
      description = "Admin API of a running Weir, e.g. http://127.0.0.1:8081.")
  String url;

  @Option(
      names = "--token-env",
      defaultValue = "WEIR_ADMIN_TOKEN",
      paramLabel = "<name>",
      description = "Environment variable holding the admin token (default ${DEFAULT-VALUE}).")
  String tokenEnv;

  @Option(names = "--json", description = "Print the answer as JSON instead of a table.")
  boolean json;

  PrintStream out = System.out;
  PrintStream err = System.err;

  @Override
  public Integer call() throws Exception {
    String text = query.startsWith("@") ? Files.readString(Path.of(query.substring(1))) : query;
    JsonNode body;
    try {
      body = JSON.readTree(text);
    } catch (Exception e) {
      err.println("the query is not JSON: " + e.getMessage());
      return WeirCli.CONFIG_ERROR;
    }
    if ((workspace == null) == (url == null)) {
      err.println("give exactly one of --workspace (offline) or --url (a running Weir)");
      return WeirCli.CONFIG_ERROR;
    }
    JsonNode answer;
    if (url != null) {
      HttpRequest.Builder req =
          HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + "/api/v1/store/query"))
              .timeout(Duration.ofMinutes(5))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(text));
      String token = System.getenv(tokenEnv);
      if (token != null) {
        req.header("Authorization", "Bearer " + token);
      }
      HttpResponse<String> r =
          HttpClient.newHttpClient().send(req.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        err.println("HTTP " + r.statusCode() + ": " + r.body());
        return r.statusCode() == 400 ? WeirCli.CONFIG_ERROR : WeirCli.RUN_ERROR;
      }
      answer = JSON.readTree(r.body());
    } else {
      Weir weir = Offline.start(workspace, Duration.ZERO, err);
      if (weir == null) {
        return WeirCli.CONFIG_ERROR;
      }
      try (weir) {
        answer = JSON.valueToTree(StoreQueries.run(weir.store(), body));
      } catch (StoreQueries.Invalid e) {
        err.println(e.getMessage());
        return WeirCli.CONFIG_ERROR;
      }
    }
    if (json) {
      out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
    } else {
      print(answer, body);
    }
    return 0;
  }

  void print(JsonNode a, JsonNode q) {
    List<List<String>> rows = new ArrayList<>();
    switch (a.path("type").asText()) {
      case "segmentation" -> {
        List<String> head = new ArrayList<>(List.of("bucket"));
        List<String> groups = new ArrayList<>();
        a.path("groups").forEach(g -> groups.add(g.asText()));
        groups.forEach(g -> head.add(g.isEmpty() ? q.path("metric").asText("count") : g));
        rows.add(head);
        TreeSet<Long> buckets = new TreeSet<>();
        for (String g : groups) {
          a.path("series").path(g).fieldNames().forEachRemaining(b -> buckets.add(Long.valueOf(b)));
        }
        for (long b : buckets) {
          List<String> row = new ArrayList<>(List.of(Instant.ofEpochMilli(b).toString()));
          for (String g : groups) {
            JsonNode v = a.path("series").path(g).get(Long.toString(b));
            row.add(v == null ? "" : number(v));
          }
          rows.add(row);
        }
        List<String> total = new ArrayList<>(List.of("total"));
        groups.forEach(g -> total.add(number(a.path("totals").path(g))));
        rows.add(total);
      }
      case "funnel" -> {
        rows.add(List.of("step", "event", "users", "conversion", "median time"));
        for (int i = 0; i < a.path("users_per_step").size(); i++) {
          JsonNode med = a.path("median_ms_to_step").get(i);
          rows.add(
              List.of(
                  Integer.toString(i + 1),
                  q.path("steps").path(i).path("event_type").asText("(any)"),
                  a.path("users_per_step").get(i).asText(),
                  String.format("%.1f%%", 100 * a.path("conversion").get(i).asDouble()),
                  med == null || med.isNull() ? "" : Duration.ofMillis(med.asLong()).toString()));
        }
      }
      case "retention" -> {
        int periods = q.path("periods").asInt(7);
        List<String> head = new ArrayList<>(List.of("cohort", "users"));
        for (int k = 1; k <= periods; k++) {
          head.add("+" + k);
        }
        rows.add(head);
        for (JsonNode c : a.path("cohorts")) {
          List<String> row =
              new ArrayList<>(
                  List.of(
                      Instant.ofEpochMilli(c.path("start").asLong()).toString(),
                      c.path("users").asText()));
          c.path("returned").forEach(x -> row.add(x.asText()));
          rows.add(row);
        }
      }
      default -> {
        rows.add(List.of("user (" + a.path("users").size() + ")"));
        a.path("users").forEach(u -> rows.add(List.of(u.asText())));
      }
    }
    table(rows);
  }

  private static String number(JsonNode v) {
    double d = v.asDouble();
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : String.valueOf(d);
  }

  private void table(List<List<String>> rows) {
    int cols = rows.get(0).size();
    int[] w = new int[cols];
    for (List<String> r : rows) {
      for (int i = 0; i < r.size(); i++) {
        w[i] = Math.max(w[i], r.get(i).length());
      }
    }
    for (int n = 0; n < rows.size(); n++) {
      StringBuilder sb = new StringBuilder();
      List<String> r = rows.get(n);
      for (int i = 0; i < r.size(); i++) {
        String cell = r.get(i);
        boolean right = n > 0 && i > 0 && numeric(cell);
        sb.append(i == 0 ? "" : "  ")
            .append(right ? " ".repeat(w[i] - cell.length()) + cell : pad(cell, w[i]));
      }
      out.println(sb.toString().stripTrailing());
      if (n == 0) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cols; i++) {
          line.append(i == 0 ? "" : "  ").append("-".repeat(w[i]));
        }
        out.println(line);
      }
    }
  }

  /** Numbers, percentages and durations are right-aligned; names left. */
  private static boolean numeric(String cell) {
    return !cell.isEmpty()
        && (Character.isDigit(cell.charAt(0)) || cell.charAt(0) == '-' || cell.startsWith("PT"));
  }

  private static String pad(String s, int w) {
    return s + " ".repeat(w - s.length());
  }
}
