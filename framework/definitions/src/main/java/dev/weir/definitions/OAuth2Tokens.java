package dev.weir.definitions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.runtime.Redactor;
import dev.weir.sdk.StateStore;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.function.LongSupplier;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.helpers.NOPLogger;

/**
 * OAuth2 access tokens for one connection, by client credentials or refresh token (RFC 6749 §4.4,
 * §6). The client authenticates to the token endpoint with HTTP Basic ({@code client_secret_basic},
 * the default, §2.3.1) or with {@code client_id}/{@code client_secret} in the form body ({@code
 * client_secret_post}). A token is reused until {@link #refreshAt}: its lifetime ({@code
 * expires_in}) less a tenth of it, at most {@link #MAX_MARGIN_MILLIS}; a 401 from the API replaces
 * it once. The token, its refresh time and the latest (rotated) refresh token are kept in the
 * connection's {@link StateStore}, so a restart reuses them. A failing token endpoint is a {@link
 * OAuthException} naming the endpoint, its status and its error body (secrets masked), and a WARN
 * line on the connection's logger (once per distinct failure, then at most once a minute).
 * Thread-safe: fetches are serialised.
 */
class OAuth2Tokens {
  static final String ACCESS = "oauth2.access_token";
  static final String EXPIRES = "oauth2.expires_at";
  static final String REFRESH_AT = "oauth2.refresh_at";
  static final String REFRESH = "oauth2.refresh_token";
  static final String BASIC = "client_secret_basic";
  static final String POST = "client_secret_post";

  /** The most a token is replaced ahead of its expiry. */
  static final long MAX_MARGIN_MILLIS = 300_000;

  /** How long an unchanged failure stays quiet in the log. */
  static final long WARN_EVERY_MILLIS = 60_000;

  private static final int MAX_BODY = 500;

  private final DefinitionModel.Auth auth;
  private final Map<String, Object> settings;
  private final StateStore state;
  private final OkHttpClient http;
  private final LongSupplier clock;
  private final Logger log;
  private final Redactor redactor;
  private String lastWarning;
  private long lastWarnedAt;

  OAuth2Tokens(
      DefinitionModel.Auth auth,
      Map<String, Object> settings,
      StateStore state,
      OkHttpClient http,
      LongSupplier clock) {
    this(auth, settings, state, http, clock, NOPLogger.NOP_LOGGER, Redactor.NONE);
  }

  /**
   * @param log where token endpoint failures are reported (the connection's logger)
   * @param redactor hides the connection's secrets in what is reported
   */
  OAuth2Tokens(
      DefinitionModel.Auth auth,
      Map<String, Object> settings,
      StateStore state,
      OkHttpClient http,
      LongSupplier clock,
      Logger log,
      Redactor redactor) {
    this.auth = auth;
    this.settings = settings;
    this.state = state;
    this.http = http;
    this.clock = clock;
    this.log = log;
    this.redactor = redactor;
  }

  /**
   * When a token issued at {@code issuedAt} (epoch ms) living {@code lifetimeMillis} is replaced:
   * {@code lifetime - min(lifetime / 10, 5 min)} after issue. {@code expires_in: 30} is reused for
   * 27 s, {@code 3600} for 55 min.
   */
  static long refreshAt(long issuedAt, long lifetimeMillis) {
    return issuedAt + lifetimeMillis - Math.min(lifetimeMillis / 10, MAX_MARGIN_MILLIS);
  }

  /** How the client authenticates to the token endpoint. */
  String clientAuth() {
    return auth.option("client_auth", BASIC);
  }

  /** A valid access token: the stored one until its refresh time, else a new one. */
  synchronized String accessToken() {
    String token = state.get(ACCESS).orElse(null);
    if (token != null && !due()) {
      return token;
    }
    return fetch();
  }

  /**
   * The API answered 401 to {@code rejected}: a new token, unless another request already replaced
   * that one (so concurrent 401s cost one token request).
   */
  synchronized String afterRejection(String rejected) {
    String current = state.get(ACCESS).orElse(null);
    if (current != null && !current.equals(rejected) && !due()) {
      return current;
    }
    return fetch();
  }

  private boolean due() {
    long at =
        state
            .get(REFRESH_AT)
            .map(Long::parseLong)
            .orElseGet(
                () ->
                    state
                        .get(EXPIRES)
                        .map(Long::parseLong)
                        .map(e -> e == 0 ? 0L : e - 30_000)
                        .orElse(0L));
    return at != 0 && clock.getAsLong() >= at;
  }

  private String render(String field) {
    TextTemplate t = auth.text(field);
    return t == null ? null : t.render(Map.of("settings", settings));
  }

  /**
   * The token request exactly as sent: form body with the grant (and refresh token, scope,
   * audience), client credentials per {@link #clientAuth}.
   *
   * @param refreshToken the refresh token to send for the refresh_token grant (ignored otherwise);
   *     null for the definition's own
   */
  Request tokenRequest(String refreshToken) {
    FormBody.Builder form = new FormBody.Builder();
    String grant = auth.option("grant", "client_credentials");
    form.add("grant_type", grant);
    if ("refresh_token".equals(grant)) {
      String rt = refreshToken == null ? render("refresh_token") : refreshToken;
      form.add("refresh_token", rt == null ? "" : rt);
    }
    String scope = auth.option("scope", null);
    if (scope != null) {
      form.add("scope", scope);
    }
    String audience = render("audience");
    if (audience != null) {
      form.add("audience", audience);
    }
    Request.Builder b =
        new Request.Builder().url(render("token_url")).header("Accept", "application/json");
    String id = render("client_id");
    String secret = render("client_secret");
    if (POST.equals(clientAuth())) {
      form.add("client_id", id);
      form.add("client_secret", secret);
    } else {
      // RFC 6749 §2.3.1: both are form-encoded before they are joined and base64-encoded
      String pair = formEncode(id) + ":" + formEncode(secret);
      b.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    return b.post(form.build()).build();
  }

  private static String formEncode(String s) {
    return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
  }

  private String fetch() {
    Request req = tokenRequest(state.get(REFRESH).orElse(null));
    String where = "OAuth2 token request POST " + req.url();
    try (Response resp = http.newCall(req).execute()) {
      String body = resp.body() == null ? "" : resp.body().string();
      if (!resp.isSuccessful()) {
        throw failure(where + " answered HTTP " + resp.code() + excerpt(body), resp.code());
      }
      JsonNode json;
      try {
        json = RequestPlanner.JSON.readTree(body);
      } catch (IOException e) {
        throw failure(
            where
                + " answered HTTP "
                + resp.code()
                + " with a body that is not JSON"
                + excerpt(body),
            resp.code());
      }
      String token = json == null ? null : json.path("access_token").asText(null);
      if (token == null || token.isEmpty()) {
        throw failure(
            where + " answered HTTP " + resp.code() + " without an access_token" + excerpt(body),
            resp.code());
      }
      long now = clock.getAsLong();
      long lifetime = json.path("expires_in").asLong(0) * 1000;
      state.put(ACCESS, token);
      state.put(EXPIRES, Long.toString(lifetime <= 0 ? 0 : now + lifetime));
      state.put(REFRESH_AT, Long.toString(lifetime <= 0 ? 0 : refreshAt(now, lifetime)));
      String rotated = json.path("refresh_token").asText(null);
      if (rotated != null) {
        state.put(REFRESH, rotated);
      }
      recovered();
      return token;
    } catch (IOException e) {
      throw failure(where + " failed: " + e, 0);
    }
  }

  private String excerpt(String body) {
    if (body == null || body.isBlank()) {
      return " (empty body)";
    }
    String b = body.strip();
    return ": " + (b.length() > MAX_BODY ? b.substring(0, MAX_BODY) + "..." : b);
  }

  private OAuthException failure(String message, int status) {
    String text = redactor.redactCredentials(message);
    long now = clock.getAsLong();
    if (!text.equals(lastWarning) || now - lastWarnedAt >= WARN_EVERY_MILLIS) {
      lastWarning = text;
      lastWarnedAt = now;
      log.warn("{}; events wait and are retried", text);
    }
    return new OAuthException(text, status);
  }

  private void recovered() {
    if (lastWarning != null) {
      log.info("OAuth2 token request succeeded again after: {}", lastWarning);
      lastWarning = null;
    }
  }

  /**
   * The token endpoint failed; the events of the request are retried later. The message names the
   * endpoint, its status and its (redacted) error body; carries no secret.
   */
  static final class OAuthException extends RuntimeException {
    private final int status;

    OAuthException(String message, int status) {
      super(message, null, false, false);
      this.status = status;
    }

    /** The token endpoint's HTTP status, or 0 when it was not reached. */
    int status() {
      return status;
    }
  }
}
