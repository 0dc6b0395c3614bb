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
  private final AuthSigner signer;

  AuthInterceptor(AuthSigner signer) {
    this.signer = signer;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request original = chain.request();
    Response response;
    try {
      response = chain.proceed(signer.sign(original, false));
    } catch (OAuth2Tokens.OAuthException e) {
      throw new IOException(e.getMessage(), e);
    }
    if (response.code() == 401 && "oauth2".equals(signer.kind())) {
      response.close();
      try {
        return chain.proceed(signer.sign(original, true));
      } catch (OAuth2Tokens.OAuthException e) {
        throw new IOException(e.getMessage(), e);
      }
    }
    return response;
  }
}
