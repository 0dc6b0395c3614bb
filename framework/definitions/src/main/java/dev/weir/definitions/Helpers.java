package dev.weir.definitions;

import com.dashjoin.jsonata.Jsonata;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The helper functions registered in every mapping, beyond JSONata's own: what ad, CRM and
 * messaging APIs ask for (normalised-and-hashed PII, base64, HMAC, UUIDs, date formatting). All are
 * pure functions of their arguments except {@code $uuid()} without a seed. Stateless and
 * thread-safe.
 */
final class Helpers {
  private static final int MAX_PAD = 1 << 16;

  private Helpers() {}

  private static final java.util.Map<String, Jsonata.JFunction> FUNCTIONS = functions();

  static void bindAll(Jsonata.Frame f) {
    FUNCTIONS.forEach(f::bind);
  }

  private static java.util.Map<String, Jsonata.JFunction> functions() {
    java.util.Map<String, Jsonata.JFunction> f = new java.util.LinkedHashMap<>();
    f.put(
        "lower", Jsonata.function("lower", (Jsonata.Fn1<Object, String>) Helpers::lower, "<x-:s>"));
    f.put("trim", Jsonata.function("trim", (Jsonata.Fn1<Object, String>) Helpers::trim, "<x-:s>"));
    f.put(
        "sha256",
        Jsonata.function("sha256", (Jsonata.Fn1<Object, String>) Helpers::sha256, "<x-:s>"));
    f.put("md5", Jsonata.function("md5", (Jsonata.Fn1<Object, String>) Helpers::md5, "<x-:s>"));
    f.put(
        "sha256Email",
        Jsonata.function(
            "sha256Email", (Jsonata.Fn1<Object, String>) Helpers::sha256Email, "<x-:s>"));
    f.put(
        "sha256Phone",
        Jsonata.function(
            "sha256Phone", (Jsonata.Fn1<Object, String>) Helpers::sha256Phone, "<x-:s>"));
    f.put(
        "normalizeEmail",
        Jsonata.function(
            "normalizeEmail", (Jsonata.Fn1<Object, String>) Helpers::normalizeEmail, "<x-:s>"));
    f.put(
        "normalizePhone",
        Jsonata.function(
            "normalizePhone", (Jsonata.Fn1<Object, String>) Helpers::normalizePhone, "<x-:s>"));
    f.put(
        "base64",
        Jsonata.function("base64", (Jsonata.Fn1<Object, String>) Helpers::base64, "<x-:s>"));
    f.put(
        "hmacSha256",
        Jsonata.function(
            "hmacSha256",
            (Jsonata.Fn2<Object, Object, String>) Helpers::hmacSha256Hex,
            "<x-x-:s>"));
    f.put(
        "uuid",
        Jsonata.function(
            "uuid",
            (Jsonata.FnVarArgs<String>) args -> uuid(args.isEmpty() ? null : args.get(0)),
            null));
    f.put(
        "formatDate",
        Jsonata.function(
            "formatDate",
            (Jsonata.FnVarArgs<String>)
                args ->
                    formatDate(
                        args.size() > 0 ? args.get(0) : null,
                        args.size() > 1 ? args.get(1) : null,
                        args.size() > 2 ? args.get(2) : null),
            null));
    // JSONata's $pad can be asked for a billion characters before any guard sees the result: bound
    // it.
    f.put("pad", Jsonata.function("pad", (Jsonata.FnVarArgs<String>) Helpers::pad, null));
    return java.util.Map.copyOf(f);
  }

  static String lower(Object v) {
    return v == null ? null : v.toString().toLowerCase(Locale.ROOT);
  }

  static String trim(Object v) {
    return v == null ? null : v.toString().strip();
  }

  static String sha256(Object v) {
    return digest("SHA-256", v);
  }

  /**
   * MD5 hex: not for security, only where an API names records by it (Mailchimp's subscriber hash).
   */
  static String md5(Object v) {
    return digest("MD5", v);
  }

  private static String digest(String algorithm, Object v) {
    if (v == null) {
      return null;
    }
    try {
      byte[] d =
          MessageDigest.getInstance(algorithm)
              .digest(v.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Trimmed and lower-cased, as the ad platforms' matching guides require before hashing. */
  static String normalizeEmail(Object v) {
    if (v == null) {
      return null;
    }
    String s = v.toString().strip().toLowerCase(Locale.ROOT);
    return s.isEmpty() ? null : s;
  }

  /**
   * Digits only (E.164 without the plus), so that {@code +1 (555) 010-9999} and {@code 15550109999}
   * agree.
   */
  static String normalizePhone(Object v) {
    if (v == null) {
      return null;
    }
    String digits = v.toString().replaceAll("[^0-9]", "");
    return digits.isEmpty() ? null : digits;
  }

  static String sha256Email(Object v) {
    return sha256(normalizeEmail(v));
  }

  static String sha256Phone(Object v) {
    return sha256(normalizePhone(v));
  }

  static String base64(Object v) {
    return v == null
        ? null
        : Base64.getEncoder().encodeToString(v.toString().getBytes(StandardCharsets.UTF_8));
  }

  static String hmacSha256Hex(Object key, Object message) {
    if (key == null || message == null) {
      return null;
    }
    return HexFormat.of().formatHex(hmac("HmacSHA256", key.toString(), message.toString()));
  }

  static byte[] hmac(String algorithm, String key, String message) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalArgumentException("HMAC " + algorithm + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * A random UUID, or with a seed a name-based one, so that the same insert id always gives the
   * same UUID.
   */
  static String uuid(Object seed) {
    return seed == null
        ? UUID.randomUUID().toString()
        : UUID.nameUUIDFromBytes(seed.toString().getBytes(StandardCharsets.UTF_8)).toString();
  }

  /**
   * Formats epoch milliseconds with a {@link DateTimeFormatter} pattern (default ISO instant) in a
   * zone (default UTC).
   */
  static String formatDate(Object millis, Object pattern, Object zone) {
    if (!(millis instanceof Number n)) {
      return null;
    }
    Instant t = Instant.ofEpochMilli(n.longValue());
    ZoneId z = zone == null ? ZoneId.of("UTC") : ZoneId.of(zone.toString());
    if (pattern == null) {
      return DateTimeFormatter.ISO_INSTANT.format(t);
    }
    return DateTimeFormatter.ofPattern(pattern.toString(), Locale.ROOT).withZone(z).format(t);
  }

  static String pad(java.util.List<?> args) {
    String s = args.isEmpty() || args.get(0) == null ? null : args.get(0).toString();
    if (s == null) {
      return null;
    }
    int width = args.size() > 1 && args.get(1) instanceof Number n ? n.intValue() : 0;
    String ch =
        args.size() > 2 && args.get(2) != null && !args.get(2).toString().isEmpty()
            ? args.get(2).toString()
            : " ";
    if (Math.abs(width) > MAX_PAD) {
      throw new TemplateException("$pad width " + width + " exceeds " + MAX_PAD, null);
    }
    StringBuilder b = new StringBuilder();
    int missing = Math.abs(width) - s.codePointCount(0, s.length());
    while (missing > 0) {
      int take = Math.min(missing, ch.length());
      b.append(ch, 0, take);
      missing -= take;
    }
    return width < 0 ? b + s : s + b;
  }
}
