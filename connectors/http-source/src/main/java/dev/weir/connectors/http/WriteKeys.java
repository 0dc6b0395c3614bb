package dev.weir.connectors.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * How requests present keys, and the digest under which listeners index them (never the key
 * itself).
 */
final class WriteKeys {
  private WriteKeys() {}

  /**
   * SHA-256 of the key: listeners look keys up by digest, so the lookup does not depend on the
   * key's bytes.
   */
  static String digest(String key) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The key a request presents: {@code Authorization: Bearer <key>} or {@code X-Weir-Key: <key>}.
   */
  static String presented(Context ctx) {
    String auth = ctx.header("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return auth.substring(7).trim();
    }
    String key = ctx.header("X-Weir-Key");
    return key == null ? null : key.trim();
  }

  /**
   * The user name of {@code Authorization: Basic ...} (Segment's way to send a write key), or null.
   */
  static String basicUser(Context ctx) {
    String auth = ctx.header("Authorization");
    if (auth == null || !auth.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    try {
      String decoded =
          new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0 ? decoded : decoded.substring(0, colon);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
