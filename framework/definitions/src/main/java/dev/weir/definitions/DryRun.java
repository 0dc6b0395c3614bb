package dev.weir.definitions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.weir.runtime.Redactor;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.Request;
import okio.Buffer;

/**
 * Offline runs of a definition: renders the exact requests for some events (auth applied, secrets
 * masked, an OAuth2 token replaced by a placeholder), optionally classifies recorded responses, and
 * checks a definition's own fixtures, describing every mismatch as a diff. Nothing is sent.
 * Stateless; thread-safe.
 */
public final class DryRun {
  static final String OAUTH_PLACEHOLDER = "<oauth2-access-token>";
  static final String MASK = "****";

  /** A recorded HTTP response for {@link #render}. */
  public record Recorded(int status, Map<String, String> headers, String body) {}

  /**
   * One rendered request, with masked headers, and the outcome per event when a response was given.
   */
  public record Rendered(
      String action,
      String method,
      String url,
      Map<String, String> headers,
      String body,
      List<Integer> events,
      List<Outcome> outcomes) {}

  /**
   * The OAuth2 token request a connection sends before its first request (secrets masked), and how
   * its token is cached.
   *
   * @param caching one sentence: per connection, reused until {@code expires_in} less a tenth (at
   *     most 5 min), replaced once on a 401
   */
  public record TokenRequest(
      String method, String url, Map<String, String> headers, String body, String caching) {}

  /**
   * Everything a dry run produced: the token request (OAuth2 only, else null), the requests, events
   * skipped (no action) or rejected before sending.
   */
  public record Result(
      List<Rendered> requests,
      Map<Integer, String> rejected,
      List<Integer> skipped,
      TokenRequest token) {
    /**
     * The human transcript the CLI prints: each request with its batch boundary, then the outcomes.
     */
    public String transcript() {
      StringBuilder b = new StringBuilder();
      if (token != null) {
        b.append("--- token request (OAuth2; ").append(token.caching()).append(")\n");
        b.append(token.method()).append(' ').append(token.url()).append('\n');
        token.headers().forEach((k, v) -> b.append(k).append(": ").append(v).append('\n'));
        b.append('\n').append(token.body()).append('\n');
      }
      int n = 1;
      for (Rendered r : requests) {
        b.append("--- request ")
            .append(n++)
            .append(" (action ")
            .append(r.action())
            .append(", events ")
            .append(r.events())
            .append(")\n");
        b.append(r.method()).append(' ').append(r.url()).append('\n');
        r.headers().forEach((k, v) -> b.append(k).append(": ").append(v).append('\n'));
        if (r.body() != null) {
          b.append('\n').append(r.body()).append('\n');
        }
        if (r.outcomes() != null) {
          for (int i = 0; i < r.events().size(); i++) {
            b.append("=> event ")
                .append(r.events().get(i))
                .append(": ")
                .append(describe(r.outcomes().get(i)))
                .append('\n');
          }
        }
      }
      skipped.forEach(
          i -> b.append("=> event ").append(i).append(": no action triggered (nothing sent)\n"));
      rejected.forEach(
          (i, why) ->
              b.append("=> event ").append(i).append(": dead-letter (").append(why).append(")\n"));
      return b.toString();
    }
  }

  private DryRun() {}

  static String describe(Outcome o) {
    return switch (o.status()) {
      case DELIVERED -> "delivered";
      case RETRY ->
          "retry"
              + (o.retryAfter() == null ? "" : " after " + o.retryAfter().toSeconds() + "s")
              + " ("
              + o.reason()
              + ")";
      case REJECTED -> "dead-letter (" + o.reason() + ")";
    };
  }

  /**
   * Renders the requests {@code def} would send for {@code events} with {@code settings}; with
   * {@code responses} (one per request, in order; the last repeats) also the outcome per event.
   */
  public static Result render(
      Definition def,
      Map<String, Object> settings,
      List<Event> events,
      List<Recorded> responses,
      long nowMillis) {
    Map<String, Object> given = settings;
    settings = def.withDefaults(given);
    RequestPlanner planner = new RequestPlanner(def, settings);
    OAuth2Tokens offline =
        new OAuth2Tokens(def.auth, settings, null, null, () -> nowMillis) {
          @Override
          synchronized String accessToken() {
            return OAUTH_PLACEHOLDER;
          }
        };
    TokenRequest token = "oauth2".equals(def.authKind()) ? token(def, settings, offline) : null;
    AuthSigner signer = new AuthSigner(def.auth, settings, offline, () -> nowMillis);
    Map<String, AuthSigner> actionSigners =
        DefinitionDestination.actionSigners(def, settings, () -> nowMillis);
    ResponseClassifier classifier = new ResponseClassifier(def.delivery, def.responses);
    RequestPlanner.Plan plan = planner.plan(events, nowMillis);
    List<Rendered> out = new ArrayList<>();
    for (int n = 0; n < plan.requests().size(); n++) {
      PlannedRequest p = plan.requests().get(n);
      Request signed =
          actionSigners.getOrDefault(p.action(), signer).sign(DefinitionDestination.toOkHttp(p));
      Map<String, String> headers = new LinkedHashMap<>();
      if (p.body() != null) {
        headers.put("Content-Type", signed.body().contentType().toString());
      }
      for (String name : signed.headers().names()) {
        headers.put(name, mask(def, settings, name, signed.header(name)));
      }
      String body = p.body() == null ? null : pretty(p.body());
      List<Outcome> outcomes = null;
      if (responses != null && !responses.isEmpty()) {
        Recorded r = responses.get(Math.min(n, responses.size() - 1));
        List<Map<String, Object>> maps = new ArrayList<>();
        p.events().forEach(i -> maps.add(events.get(i).toMap()));
        Map<String, String> recorded = r.headers() == null ? Map.of() : r.headers();
        java.util.function.Function<String, String> header =
            name ->
                recorded.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElse(null);
        Redactor redactor = redactor(def, settings);
        outcomes =
            classifier.classify(r.status(), header, r.body(), maps, nowMillis).stream()
                .map(o -> masked(o, redactor))
                .toList();
      }
      out.add(
          new Rendered(
              p.action(),
              p.method(),
              mask(def, settings, "", signed.url().toString()),
              headers,
              body == null ? null : mask(def, settings, "", body),
              p.events(),
              outcomes));
    }
    return new Result(out, plan.rejected(), plan.skipped(), token);
  }

  /** What caching a connection applies to its OAuth2 tokens, in one sentence. */
  static final String TOKEN_CACHING =
      "sent once per connection, the token reused until expires_in less a tenth of it (at most"
          + " 5 min) and replaced once when the API answers 401";

  private static TokenRequest token(Definition def, Map<String, Object> settings, OAuth2Tokens t) {
    Request r = t.tokenRequest(null);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", r.body().contentType().toString());
    for (String name : r.headers().names()) {
      headers.put(name, mask(def, settings, name, r.header(name)));
    }
    String body = mask(def, settings, "", bodyOf(r));
    String caching = t.clientAuth() + ", " + TOKEN_CACHING;
    return new TokenRequest(
        r.method(), mask(def, settings, "", r.url().toString()), headers, body, caching);
  }

  static String mask(Definition def, Map<String, Object> settings, String header, String value) {
    if (value == null) {
      return null;
    }
    if (header.equalsIgnoreCase("Authorization") && value.startsWith("Basic ")) {
      return "Basic " + MASK;
    }
    return redactor(def, settings).redact(value);
  }

  /**
   * The one {@link Redactor} over this definition's secret settings (raw, URL-encoded and base64,
   * plus a secret URL as OkHttp writes it: default port dropped, host lower-cased), masking with
   * {@code ****} as dry runs do. For any text about a run of {@code def} with {@code settings}.
   */
  public static Redactor redactor(Definition def, Map<String, Object> settings) {
    List<String> values = new ArrayList<>();
    for (String secret : def.secretSettings) {
      Object s = settings.get(secret);
      if (s == null) {
        continue;
      }
      values.add(s.toString());
      okhttp3.HttpUrl asUrl = okhttp3.HttpUrl.parse(s.toString());
      if (asUrl != null) {
        values.add(asUrl.toString());
      }
    }
    return Redactor.of(values).masking(MASK);
  }

  /**
   * {@code o} with its reason redacted: a recorded response a reason quotes may echo a secret or
   * any credential.
   */
  static Outcome masked(Outcome o, Redactor redactor) {
    String reason = redactor.redactCredentials(o.reason());
    if (reason == null || reason.equals(o.reason())) {
      return o;
    }
    Outcome m =
        switch (o.status()) {
          case DELIVERED -> o;
          case RETRY ->
              o.retryAfter() == null
                  ? Outcome.retry(reason)
                  : Outcome.retryAfter(o.retryAfter(), reason);
          case REJECTED -> Outcome.rejected(reason);
        };
    return o.statusCode() > 0 && m != o ? m.withStatusCode(o.statusCode()) : m;
  }

  static String pretty(byte[] body) {
    try {
      JsonNode n = RequestPlanner.JSON.readTree(body);
      return RequestPlanner.JSON
          .copy()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(n);
    } catch (Exception e) {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  static String bodyOf(Request r) {
    if (r.body() == null) {
      return null;
    }
    try (Buffer b = new Buffer()) {
      r.body().writeTo(b);
      return b.readUtf8();
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
