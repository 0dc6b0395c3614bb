package dev.weir.definitions;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okio.Buffer;

/**
 * Applies a definition's auth to a request: API key (header or query), basic, bearer, HMAC
 * signature over the body, or an OAuth2 access token from {@link OAuth2Tokens}. Immutable and
 * thread-safe.
 */
final class AuthSigner {
  private final DefinitionModel.Auth auth;
  private final Map<String, Object> settings;
  private final OAuth2Tokens tokens;
  private final LongSupplier clock;

  /**
   * @param tokens where OAuth2 access tokens come from; null for kinds other than oauth2
   * @param clock epoch milliseconds, for HMAC timestamps
   */
  AuthSigner(
      DefinitionModel.Auth auth,
      Map<String, Object> settings,
      OAuth2Tokens tokens,
      LongSupplier clock) {
    this.auth = auth;
    this.settings = settings;
    this.tokens = tokens;
    this.clock = clock;
  }

  String kind() {
    return auth.kind();
  }

  private String render(String field) {
    TextTemplate t = auth.text(field);
    return t == null ? null : t.render(Map.of("settings", settings));
  }

  /** The OAuth2 tokens of this signer, or null for other kinds. */
  OAuth2Tokens tokens() {
    return tokens;
  }

  /** The request with credentials added. */
  Request sign(Request request) {
    return sign(request, null);
  }

  /**
   * {@code request} signed again after the API answered 401 to {@code rejected}: for OAuth2 with a
   * new token (one token request however many requests were rejected with the same token).
   */
  Request signAfterRejection(Request request, Request rejected) {
    String auth = rejected.header("Authorization");
    return sign(request, auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "");
  }

  private Request sign(Request request, String rejectedToken) {
    Request.Builder b = request.newBuilder();
    switch (auth.kind()) {
      case "api_key" -> {
        if ("query".equals(auth.option("in", "header"))) {
          HttpUrl url =
              request
                  .url()
                  .newBuilder()
                  .setQueryParameter(auth.option("name", "api_key"), render("value"))
                  .build();
          b.url(url);
        } else {
          b.header(auth.option("name", "X-Api-Key"), render("value"));
        }
      }
      case "basic" ->
          b.header(
              "Authorization",
              Credentials.basic(render("username"), render("password"), StandardCharsets.UTF_8));
      case "bearer" -> b.header("Authorization", "Bearer " + render("token"));
      case "oauth2" ->
          b.header(
              "Authorization",
              "Bearer "
                  + (rejectedToken == null
                      ? tokens.accessToken()
                      : tokens.afterRejection(rejectedToken)));
      case "hmac" -> hmac(request, b);
      default -> {}
    }
    return b.build();
  }

  private void hmac(Request request, Request.Builder b) {
    String body = "";
    if (request.body() != null) {
      try (Buffer buf = new Buffer()) {
        request.body().writeTo(buf);
        body = buf.readUtf8();
      } catch (java.io.IOException e) {
        throw new IllegalStateException("cannot read request body to sign it", e);
      }
    }
    String timestampHeader = auth.option("timestamp_header", null);
    long ts = clock.getAsLong() / 1000;
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("body", body);
    in.put("timestamp", Long.toString(ts));
    in.put("method", request.method());
    in.put("url", request.url().toString());
    in.put("path", request.url().encodedPath());
    in.put("settings", settings);
    String payload;
    if (auth.payload() != null) {
      Object v = auth.payload().evaluate(in);
      payload = v == null ? "" : v.toString();
    } else {
      payload = timestampHeader == null ? body : ts + "." + body;
    }
    String algorithm =
        switch (auth.option("algorithm", "sha256")) {
          case "sha512" -> "HmacSHA512";
          case "sha1" -> "HmacSHA1";
          default -> "HmacSHA256";
        };
    byte[] mac = MappingFunctions.hmac(algorithm, render("key"), payload);
    String enc =
        "base64".equals(auth.option("encoding", "hex"))
            ? Base64.getEncoder().encodeToString(mac)
            : HexFormat.of().formatHex(mac);
    b.header(auth.option("header", "X-Signature"), auth.option("prefix", "") + enc);
    if (timestampHeader != null) {
      b.header(timestampHeader, Long.toString(ts));
    }
  }
}
