package dev.weir.admin;

import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * The one auth filter in front of every admin route. It runs on the route the router actually
 * matched (Javalin's {@code beforeMatched}), so route matching and auth cannot disagree about a
 * path's spelling (trailing slash, query, HEAD, case, encoded characters): a route is protected
 * unless it was registered {@link Access#PUBLIC}, and a request that matches no route is answered
 * 401 without a token too, so unknown paths reveal nothing. Thread-safe.
 */
final class AdminAuth {
  /** The role of a route that needs no token. Routes registered without it need one. */
  enum Access implements RouteRole {
    PUBLIC
  }

  private final List<byte[]> tokens;

  AdminAuth(List<String> tokens) {
    this.tokens = tokens.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
  }

  int tokenCount() {
    return tokens.size();
  }

  /** Throws {@link Unauthorised} unless the matched route is public or the caller has a token. */
  void check(Context ctx) {
    if (!ctx.routeRoles().contains(Access.PUBLIC) && !authorised(ctx)) {
      throw new Unauthorised();
    }
  }

  /** Whether the request carries one of the admin tokens (compared in constant time). */
  boolean authorised(Context ctx) {
    String h = ctx.header("Authorization");
    if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = h.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    boolean ok = false;
    for (byte[] t : tokens) {
      ok |= MessageDigest.isEqual(t, given);
    }
    return ok && given.length > 0;
  }

  /** Thrown by {@link #check}; the server answers 401 with {@code WWW-Authenticate: Bearer}. */
  static final class Unauthorised extends RuntimeException {
    Unauthorised() {
      super(null, null, false, false);
    }
  }
}
