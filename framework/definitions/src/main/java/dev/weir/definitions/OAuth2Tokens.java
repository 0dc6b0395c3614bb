package dev.weir.definitions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.sdk.StateStore;
import java.io.IOException;
import java.util.Map;
import java.util.function.LongSupplier;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * OAuth2 access tokens for one connection, by client credentials or refresh token. The current
 * token, its expiry and the latest refresh token (rotated by the server) are kept in the
 * connection's {@link StateStore}, so a restart reuses them and a rotated refresh token is never
 * lost. Thread-safe: refreshes are serialised.
 */
class OAuth2Tokens {
  static final String ACCESS = "oauth2.access_token";
  static final String EXPIRES = "oauth2.expires_at";
  static final String REFRESH = "oauth2.refresh_token";

  private final DefinitionModel.Auth auth;
  private final Map<String, Object> settings;
  private final StateStore state;
  private final OkHttpClient http;
  private final LongSupplier clock;

  OAuth2Tokens(
      DefinitionModel.Auth auth,
      Map<String, Object> settings,
      StateStore state,
      OkHttpClient http,
      LongSupplier clock) {
    this.auth = auth;
    this.settings = settings;
    this.state = state;
    this.http = http;
    this.clock = clock;
  }

  private String render(String field) {
    TextTemplate t = auth.text(field);
    return t == null ? null : t.render(Map.of("settings", settings));
  }

  /**
   * A valid access token: the stored one unless expired (with 30 s slack) or {@code force} is set.
   */
  synchronized String accessToken(boolean force) {
    if (!force) {
      String token = state.get(ACCESS).orElse(null);
      long expires = state.get(EXPIRES).map(Long::parseLong).orElse(0L);
      if (token != null && (expires == 0 || clock.getAsLong() + 30_000 < expires)) {
        return token;
      }
    }
    return fetch();
  }

  private String fetch() {
    FormBody.Builder form = new FormBody.Builder();
    String grant = auth.option("grant", "client_credentials");
    form.add("grant_type", grant);
    if ("refresh_token".equals(grant)) {
      String refresh = state.get(REFRESH).orElseGet(() -> render("refresh_token"));
      form.add("refresh_token", refresh);
    }
    form.add("client_id", render("client_id"));
    form.add("client_secret", render("client_secret"));
    String scope = auth.option("scope", null);
    if (scope != null) {
      form.add("scope", scope);
    }
    Request req = new Request.Builder().url(render("token_url")).post(form.build()).build();
    try (Response resp = http.newCall(req).execute()) {
      String body = resp.body().string();
      if (!resp.isSuccessful()) {
        throw new OAuthException("token endpoint answered " + resp.code());
      }
      JsonNode json = RequestPlanner.JSON.readTree(body);
      String token = json.path("access_token").asText(null);
      if (token == null) {
        throw new OAuthException("token endpoint response has no access_token");
      }
      state.put(ACCESS, token);
      long expiresIn = json.path("expires_in").asLong(0);
      state.put(EXPIRES, Long.toString(expiresIn == 0 ? 0 : clock.getAsLong() + expiresIn * 1000));
      String rotated = json.path("refresh_token").asText(null);
      if (rotated != null) {
        state.put(REFRESH, rotated);
      }
      return token;
    } catch (IOException e) {
      throw new OAuthException("token endpoint unreachable: " + e.getMessage());
    }
  }

  /** The token endpoint failed; the events of the request are retried later. Carries no secret. */
  static final class OAuthException extends RuntimeException {
    OAuthException(String message) {
      super(message, null, false, false);
    }
  }
}
