package dev.weir.definitions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a definition's own {@code tests} offline and compares what it would send (and, given
 * recorded responses, the outcome per event) with what each fixture expects. Stateless;
 * thread-safe.
 */
public final class FixtureRunner {
  /** The result of one fixture: passed, or the differences as {@code -expected/+actual} lines. */
  public record Result(String name, boolean passed, List<String> diff, String transcript) {}

  private FixtureRunner() {}

  /** Runs every fixture of {@code def}. */
  public static List<Result> run(Definition def) {
    List<Result> out = new ArrayList<>();
    for (DefinitionModel.Fixture f : def.fixtures) {
      out.add(runOne(def, f));
    }
    return out;
  }

  private static Result runOne(Definition def, DefinitionModel.Fixture f) {
    if ("Source".equals(def.kind())) {
      return SourceFixtures.run(def, f);
    }
    List<String> diff = new ArrayList<>();
    List<Event> events = new ArrayList<>();
    for (Map<String, Object> m : f.events()) {
      events.add(Event.fromMap(m));
    }
    List<DryRun.Recorded> responses = new ArrayList<>();
    for (DefinitionModel.ResponseFixture r : f.responses()) {
      responses.add(
          new DryRun.Recorded(
              r.status(),
              r.headers(),
              r.body() == null
                  ? null
                  : r.body().isTextual() ? r.body().asText() : r.body().toString()));
    }
    DryRun.Result result;
    try {
      result = DryRun.render(def, f.settings(), events, responses, f.now());
    } catch (RuntimeException e) {
      diff.add("+ the dry run failed: " + e.getMessage());
      return new Result(f.name(), false, diff, "");
    }
    JsonNode expected = f.expectRequests();
    if (expected != null) {
      if (expected.size() != result.requests().size()) {
        diff.add("- " + expected.size() + " request(s)");
        diff.add("+ " + result.requests().size() + " request(s)");
      }
      for (int i = 0; i < Math.min(expected.size(), result.requests().size()); i++) {
        compare(i + 1, expected.get(i), result.requests().get(i), diff);
      }
    }
    if (!f.expectOutcomes().isEmpty()) {
      List<String> actual = outcomes(events.size(), result);
      for (int i = 0; i < f.expectOutcomes().size(); i++) {
        String want = f.expectOutcomes().get(i);
        String got = actual.get(i);
        if (!got.startsWith(want)) {
          diff.add("- event " + i + ": " + want);
          diff.add("+ event " + i + ": " + got);
        }
      }
    }
    return new Result(f.name(), diff.isEmpty(), diff, result.transcript());
  }

  private static List<String> outcomes(int n, DryRun.Result result) {
    List<String> out = new ArrayList<>(java.util.Collections.nCopies(n, "none"));
    for (DryRun.Rendered r : result.requests()) {
      for (int k = 0; k < r.events().size(); k++) {
        Outcome o = r.outcomes() == null ? null : r.outcomes().get(k);
        out.set(
            r.events().get(k),
            o == null
                ? "none"
                : switch (o.status()) {
                  case DELIVERED -> "delivered";
                  case RETRY ->
                      "retry"
                          + (o.retryAfter() == null
                              ? ""
                              : " after " + o.retryAfter().toSeconds() + "s")
                          + ": "
                          + o.reason();
                  case REJECTED -> "rejected: " + o.reason();
                });
      }
    }
    result.skipped().forEach(i -> out.set(i, "delivered (no action triggered)"));
    result.rejected().forEach((i, why) -> out.set(i, "rejected: " + why));
    return out;
  }

  private static void compare(int n, JsonNode want, DryRun.Rendered got, List<String> diff) {
    String p = "request " + n + " ";
    if (!want.path("method").asText().equals(got.method())) {
      diff.add("- " + p + "method " + want.path("method").asText());
      diff.add("+ " + p + "method " + got.method());
    }
    if (!want.path("url").asText().equals(got.url())) {
      diff.add("- " + p + "url " + want.path("url").asText());
      diff.add("+ " + p + "url " + got.url());
    }
    want.path("headers")
        .fields()
        .forEachRemaining(
            h -> {
              String actual =
                  got.headers().entrySet().stream()
                      .filter(e -> e.getKey().equalsIgnoreCase(h.getKey()))
                      .map(Map.Entry::getValue)
                      .findFirst()
                      .orElse(null);
              if (!h.getValue().asText().equals(actual)) {
                diff.add("- " + p + "header " + h.getKey() + ": " + h.getValue().asText());
                diff.add(
                    "+ "
                        + p
                        + "header "
                        + h.getKey()
                        + ": "
                        + (actual == null ? "(absent)" : actual));
              }
            });
    if (want.has("events")) {
      List<Integer> ev = new ArrayList<>();
      want.get("events").forEach(e -> ev.add(e.asInt()));
      if (!ev.equals(got.events())) {
        diff.add("- " + p + "events " + ev);
        diff.add("+ " + p + "events " + got.events());
      }
    }
    if (want.has("body")) {
      JsonNode wantBody = want.get("body");
      JsonNode gotBody;
      try {
        gotBody = got.body() == null ? null : RequestPlanner.JSON.readTree(got.body());
      } catch (Exception e) {
        gotBody = RequestPlanner.JSON.getNodeFactory().textNode(got.body());
      }
      if (wantBody.isTextual() && gotBody != null && !gotBody.isTextual()) {
        gotBody = RequestPlanner.JSON.getNodeFactory().textNode(got.body());
      }
      if (gotBody == null || !numericEquals(wantBody, gotBody)) {
        lineDiff(
            p + "body ", pretty(wantBody), gotBody == null ? "(no body)" : pretty(gotBody), diff);
      }
    }
  }

  static boolean numericEquals(JsonNode a, JsonNode b) {
    return a.equals(
        (x, y) ->
            x.isNumber() && y.isNumber()
                ? Double.compare(x.asDouble(), y.asDouble())
                : x.equals(y) ? 0 : 1,
        b);
  }

  private static String pretty(JsonNode n) {
    try {
      return RequestPlanner.JSON
          .copy()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(n);
    } catch (Exception e) {
      return n.toString();
    }
  }

  /** A line diff by longest common subsequence: enough for request bodies. */
  static void lineDiff(String prefix, String a, String b, List<String> out) {
    String[] x = a.split("\n");
    String[] y = b.split("\n");
    int[][] l = new int[x.length + 1][y.length + 1];
    for (int i = x.length - 1; i >= 0; i--) {
      for (int j = y.length - 1; j >= 0; j--) {
        l[i][j] = x[i].equals(y[j]) ? l[i + 1][j + 1] + 1 : Math.max(l[i + 1][j], l[i][j + 1]);
      }
    }
    out.add("  " + prefix + "differs:");
    int i = 0;
    int j = 0;
    while (i < x.length || j < y.length) {
      if (i < x.length && j < y.length && x[i].equals(y[j])) {
        out.add("  " + x[i]);
        i++;
        j++;
      } else if (i < x.length && (j == y.length || l[i + 1][j] >= l[i][j + 1])) {
        out.add("- " + x[i++]);
      } else {
        out.add("+ " + y[j++]);
      }
    }
  }
}
