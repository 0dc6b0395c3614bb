package dev.weir.connectors.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/** The write keys a source accepts; compares in constant time. Immutable and thread-safe. */
final class WriteKeys {
  private final List<byte[]> keys;

  WriteKeys(List<String> keys) {
    this.keys = keys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
  }

  boolean accepts(String candidate) {
    if (candidate == null || candidate.isEmpty()) {
      return false;
    }
    byte[] c = candidate.getBytes(StandardCharsets.UTF_8);
    boolean ok = false;
    for (byte[] k : keys) {
      ok |= MessageDigest.isEqual(k, c);
    }
    return ok;
  }

  /** The key a request presents: {@code Authorization: Bearer <key>} or {@code X-Weir-Key: <key>}. */
  static String presented(Context ctx) {
    String auth = ctx.header("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return auth.substring(7).trim();
    }
    String key = ctx.header("X-Weir-Key");
    return key == null ? null : key.trim();
  }
}
