package dev.weir.definitions;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * OkHttp interceptor that signs each request with the definition's auth; for OAuth2, a 401 answer
 * triggers one token refresh and one retry of the same request. Thread-safe.
 */
final class AuthInterceptor implements Interceptor {
  private final AuthSigner defaultSigner;
  private final java.util.Map<String, AuthSigner> byAction;

  /**
   * @param byAction signers of actions that declare their own auth, by action name (the request's
   *     {@code String} tag)
   */
  AuthInterceptor(AuthSigner signer, java.util.Map<String, AuthSigner> byAction) {
    this.defaultSigner = signer;
    this.byAction = java.util.Map.copyOf(byAction);
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request original = chain.request();
    String action = original.tag(String.class);
    AuthSigner signer =
        action == null ? defaultSigner : byAction.getOrDefault(action, defaultSigner);
    Request signed;
    Response response;
    try {
      signed = signer.sign(original);
      response = chain.proceed(signed);
    } catch (OAuth2Tokens.OAuthException e) {
      throw new TokenFailure(e);
    }
    if (response.code() == 401 && "oauth2".equals(signer.kind())) {
      response.close();
      try {
        return chain.proceed(signer.signAfterRejection(original, signed));
      } catch (OAuth2Tokens.OAuthException e) {
        throw new TokenFailure(e);
      }
    }
    return response;
  }

  /** The token endpoint failed (OkHttp lets only IOExceptions through an interceptor). */
  static final class TokenFailure extends IOException {
    final OAuth2Tokens.OAuthException cause;

    TokenFailure(OAuth2Tokens.OAuthException cause) {
      super(cause.getMessage(), cause);
      this.cause = cause;
    }
  }
}
