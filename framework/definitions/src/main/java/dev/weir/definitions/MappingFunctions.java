package dev.weir.definitions;

import com.dashjoin.jsonata.Functions;
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
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The helper functions registered in every mapping, beyond JSONata's own: what ad, CRM and
 * messaging APIs ask for (normalised-and-hashed PII, base64, HMAC, UUIDs, date formatting). All are
 * pure functions of their arguments except {@code $uuid()} without a seed. Stateless and
 * thread-safe.
 */
final class MappingFunctions {
  private static final int MAX_PAD = 1 << 16;

  private MappingFunctions() {}

  private static final java.util.Map<String, Jsonata.JFunction> FUNCTIONS = functions();

  static void bindAll(Jsonata.Frame f) {
    FUNCTIONS.forEach(f::bind);
  }

  private static java.util.Map<String, Jsonata.JFunction> functions() {
    java.util.Map<String, Jsonata.JFunction> f = new java.util.LinkedHashMap<>();
    f.put(
        "lower",
        Jsonata.function("lower", (Jsonata.Fn1<Object, String>) MappingFunctions::lower, "<x-:s>"));
    f.put(
        "trim",
        Jsonata.function("trim", (Jsonata.Fn1<Object, String>) MappingFunctions::trim, "<x-:s>"));
    f.put(
        "sha256",
        Jsonata.function(
            "sha256", (Jsonata.Fn1<Object, String>) MappingFunctions::sha256, "<x-:s>"));
    f.put(
        "md5",
        Jsonata.function("md5", (Jsonata.Fn1<Object, String>) MappingFunctions::md5, "<x-:s>"));
    f.put(
        "sha256Email",
        Jsonata.function(
            "sha256Email", (Jsonata.Fn1<Object, String>) MappingFunctions::sha256Email, "<x-:s>"));
    f.put(
        "sha256Phone",
        Jsonata.function(
            "sha256Phone", (Jsonata.Fn1<Object, String>) MappingFunctions::sha256Phone, "<x-:s>"));
    f.put(
        "normalizeEmail",
        Jsonata.function(
            "normalizeEmail",
            (Jsonata.Fn1<Object, String>) MappingFunctions::normalizeEmail,
            "<x-:s>"));
    f.put(
        "normalizePhone",
        Jsonata.function(
            "normalizePhone",
            (Jsonata.Fn1<Object, String>) MappingFunctions::normalizePhone,
            "<x-:s>"));
    f.put(
        "base64",
        Jsonata.function(
            "base64", (Jsonata.Fn1<Object, String>) MappingFunctions::base64, "<x-:s>"));
    f.put(
        "hmacSha256",
        Jsonata.function(
            "hmacSha256",
            (Jsonata.Fn2<Object, Object, String>) MappingFunctions::hmacSha256Hex,
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
    f.put("pad", Jsonata.function("pad", (Jsonata.FnVarArgs<String>) MappingFunctions::pad, null));
    // JSONata's builtins that could run long or allocate much inside one step, bounded first.
    f.put(
        "join",
        Jsonata.function("join", (Jsonata.FnVarArgs<String>) MappingFunctions::join, "<a<s>s?:s>"));
    f.put(
        "match",
        Jsonata.function(
            "match", (Jsonata.FnVarArgs<Object>) MappingFunctions::match, "<s-f<s:o>n?:a<o>>"));
    f.put(
        "contains",
        Jsonata.function(
            "contains", (Jsonata.FnVarArgs<Object>) MappingFunctions::contains, "<s-(sf):b>"));
    f.put(
        "split",
        Jsonata.function(
            "split", (Jsonata.FnVarArgs<Object>) MappingFunctions::split, "<s-(sf)n?:a<s>>"));
    f.put(
        "replace",
        Jsonata.function(
            "replace", (Jsonata.FnVarArgs<Object>) MappingFunctions::replace, "<s-(sf)(sf)n?:s>"));
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
    // In double, then checked before anything is allocated: int casts and Math.abs overflow.
    double w = args.size() > 1 && args.get(1) instanceof Number n ? n.doubleValue() : 0;
    if (!(Math.abs(w) <= MAX_PAD)) {
      throw new TemplateException(
          "$pad width "
              + (w == Math.rint(w) ? String.valueOf((long) w) : String.valueOf(w))
              + " exceeds "
              + MAX_PAD,
          null);
    }
    int width = (int) w;
    String ch =
        args.size() > 2 && args.get(2) != null && !args.get(2).toString().isEmpty()
            ? args.get(2).toString()
            : " ";
    int missing = Math.abs(width) - s.codePointCount(0, s.length());
    if (missing <= 0) {
      return s;
    }
    String fill = ch.repeat(missing / ch.length()) + ch.substring(0, missing % ch.length());
    return width < 0 ? fill + s : s + fill;
  }

  /** JSONata's {@code $join}, refusing a result over the string cap before building it. */
  static String join(java.util.List<?> args) {
    Object a = args.isEmpty() ? null : args.get(0);
    if (a == null) {
      return null;
    }
    java.util.List<?> list = a instanceof java.util.List<?> l ? l : java.util.List.of(a);
    String sep = args.size() > 1 && args.get(1) != null ? args.get(1).toString() : "";
    long total = (long) sep.length() * Math.max(0, list.size() - 1);
    for (Object o : list) {
      total += o == null ? 0 : o.toString().length();
    }
    Template.Guard.current().checkString("a $join result", total);
    @SuppressWarnings("unchecked")
    java.util.List<String> strings = (java.util.List<String>) list;
    return Functions.join(strings, sep);
  }

  static Object match(java.util.List<?> args) {
    String s = string(args, 0);
    if (s == null) {
      return null;
    }
    Pattern p = regex("$match", args.size() > 1 ? args.get(1) : null);
    BoundedRegex.scan(p, s, false);
    return Functions.match(s, p, intArg(args, 2));
  }

  static Object contains(java.util.List<?> args) {
    String s = string(args, 0);
    if (s == null) {
      return null;
    }
    Object p = args.size() > 1 ? args.get(1) : null;
    if (p instanceof Pattern pat) {
      BoundedRegex.scan(pat, s, true);
    }
    return Functions.contains(s, p);
  }

  static Object split(java.util.List<?> args) {
    String s = string(args, 0);
    if (s == null) {
      return null;
    }
    Object p = args.size() > 1 ? args.get(1) : null;
    if (p instanceof Pattern pat) {
      BoundedRegex.scan(pat, s, false);
    }
    return Functions.split(s, p, args.size() > 2 ? (Number) args.get(2) : null);
  }

  /**
   * JSONata's {@code $replace}: the pattern is scanned under the step budget, and a replacement
   * text whose result would exceed the string cap is refused before the result is built.
   */
  static Object replace(java.util.List<?> args) {
    String s = string(args, 0);
    if (s == null) {
      return null;
    }
    Object p = args.size() > 1 ? args.get(1) : null;
    Object r = args.size() > 2 ? args.get(2) : null;
    Integer limit = intArg(args, 3);
    long matches;
    if (p instanceof Pattern pat) {
      matches = BoundedRegex.scan(pat, s, false);
    } else if (p instanceof String t && !t.isEmpty()) {
      matches = 0;
      for (int i = s.indexOf(t); i >= 0; i = s.indexOf(t, i + t.length())) {
        matches++;
      }
    } else {
      matches = 0;
    }
    if (limit != null) {
      matches = Math.min(matches, Math.max(0, limit));
    }
    if (r instanceof String text) {
      long dollars = text.chars().filter(c -> c == '$').count();
      // each $n expands to part of a match; non-overlapping matches add up to at most s
      Template.Guard.current()
          .checkString(
              "a $replace result",
              s.length() + matches * text.length() + dollars * (long) s.length());
    }
    return Functions.replace(s, p, r, limit);
  }

  private static String string(java.util.List<?> args, int i) {
    return args.size() > i && args.get(i) != null ? args.get(i).toString() : null;
  }

  private static Integer intArg(java.util.List<?> args, int i) {
    return args.size() > i && args.get(i) instanceof Number n ? n.intValue() : null;
  }

  private static Pattern regex(String fn, Object p) {
    if (p instanceof Pattern pat) {
      return pat;
    }
    throw new TemplateException(fn + " needs a regular expression such as /[0-9]+/", null);
  }
}
