package dev.weir.runtime;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way Weir hides secrets in text bound for people: logs, status, dead letters, printed
 * config, API answers. Built from the resolved secret values; {@link #redact} replaces each of them
 * wherever it appears, in its raw form and in the forms it takes on the wire — URL-encoded (query
 * strings, form bodies) and base64 (standard and URL-safe, with or without padding) — with {@link
 * #MASK}, leaving every other character intact ({@code "denied for s3cr3t; retry"} becomes {@code
 * "denied for ***; retry"}). {@link #redactCredentials} also hides anything that looks like a
 * credential (authorization headers, {@code token=}, {@code api_key:} ...), for text that came from
 * outside, such as a destination's response. Immutable and thread-safe.
 *
 * <p>Values shorter than {@link #MIN_LENGTH} characters are not treated as secrets: masking every
 * {@code "1"} would make text unreadable and hide nothing.
 */
public final class Redactor {
  /** What a secret becomes. */
  public static final String MASK = "***";

  /** Shorter values are ignored. */
  public static final int MIN_LENGTH = 4;

  /** A redactor that knows no secrets ({@link #redactCredentials} still works). */
  public static final Redactor NONE = new Redactor(List.of());

  /**
   * A named credential: {@code api_key=x}, {@code "token": "x"}, {@code Authorization: Bearer x}.
   */
  private static final Pattern NAMED =
      Pattern.compile(
          "(?i)(authorization|api[_-]?key|apikey|secret[_-]?key|token|secret|password|passwd)"
              + "(\"?\\s*[:=]\\s*\"?)((?:(?:bearer|basic)\\s+)?[^\\s\",&;}]+)");

  /**
   * An auth scheme and its credential ({@code Bearer x}, {@code Basic x}); masked only when the
   * value looks like one, so prose such as "Bearer token expired" keeps its words.
   */
  private static final Pattern SCHEME =
      Pattern.compile("(?i)\\b(bearer|basic)(\\s+)([A-Za-z0-9._~+/=-]+)");

  /** Every form of every secret, longest first, so a secret containing another is masked whole. */
  private final List<String> needles;

  private final Set<String> secrets;

  private final String mask;

  private Redactor(Collection<String> values) {
    this(values, MASK);
  }

  private Redactor(Collection<String> values, String mask) {
    this.mask = mask;
    Set<String> raw = new LinkedHashSet<>();
    Set<String> forms = new LinkedHashSet<>();
    for (String v : values) {
      if (v == null || v.length() < MIN_LENGTH) {
        continue;
      }
      raw.add(v);
      forms.addAll(forms(v));
    }
    this.secrets = Set.copyOf(raw);
    this.needles =
        forms.stream()
            .filter(f -> f.length() >= MIN_LENGTH)
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
  }

  /** A redactor for these resolved secret values (nulls and short values are ignored). */
  public static Redactor of(Collection<String> secrets) {
    return secrets.isEmpty() ? NONE : new Redactor(secrets);
  }

  /** A redactor that hides what this one hides and {@code more}. */
  public Redactor with(Collection<String> more) {
    if (more.isEmpty()) {
      return this;
    }
    Set<String> all = new LinkedHashSet<>(secrets);
    all.addAll(more);
    return new Redactor(all, mask);
  }

  /**
   * A redactor hiding the same secrets behind {@code mask} instead of {@link #MASK}, for an output
   * whose format promises another mask (a dry run's {@code ****}).
   */
  public Redactor masking(String mask) {
    return mask.equals(this.mask) ? this : new Redactor(secrets, mask);
  }

  /** The raw secret values this redactor hides. */
  public Set<String> secrets() {
    return secrets;
  }

  /**
   * {@code text} with every known secret value (raw, URL-encoded or base64) replaced by {@link
   * #MASK}; null stays null.
   */
  public String redact(String text) {
    if (text == null || text.isEmpty() || needles.isEmpty()) {
      return text;
    }
    String out = text;
    for (String s : needles) {
      if (out.contains(s)) {
        out = out.replace(s, mask);
      }
    }
    return out;
  }

  /**
   * Like {@link #redact}, and also masks the value of anything that looks like a credential ({@code
   * Authorization: Bearer x}, {@code api_key=x}, {@code "token": "x"}), keeping its name. For text
   * from outside (responses, exception messages) that may echo credentials Weir never saw.
   */
  public String redactCredentials(String text) {
    String out = redact(text);
    if (out == null || out.isEmpty()) {
      return out;
    }
    out =
        NAMED
            .matcher(out)
            .replaceAll(r -> Matcher.quoteReplacement(r.group(1) + r.group(2) + mask));
    return SCHEME
        .matcher(out)
        .replaceAll(
            r ->
                Matcher.quoteReplacement(
                    looksLikeCredential(r.group(3)) ? r.group(1) + r.group(2) + mask : r.group()));
  }

  /** At least 8 characters with a digit, both letter cases or base64 padding: not a word. */
  private static boolean looksLikeCredential(String v) {
    if (v.length() < 8) {
      return false;
    }
    boolean digit = false;
    boolean lower = false;
    boolean upper = false;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      digit |= Character.isDigit(c);
      lower |= Character.isLowerCase(c);
      upper |= Character.isUpperCase(c);
    }
    return digit || (lower && upper) || v.endsWith("=");
  }

  private static Set<String> forms(String v) {
    Set<String> out = new LinkedHashSet<>();
    out.add(v);
    out.add(v.replace("\\", "\\\\").replace("\"", "\\\"")); // as a JSON string holds it
    String form = URLEncoder.encode(v, StandardCharsets.UTF_8);
    out.add(form);
    out.add(form.replace("+", "%20"));
    byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
    String b64 = Base64.getEncoder().encodeToString(bytes);
    out.add(b64);
    out.add(stripPadding(b64));
    String url = Base64.getUrlEncoder().encodeToString(bytes);
    out.add(url);
    out.add(stripPadding(url));
    return out;
  }

  private static String stripPadding(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '=') {
      end--;
    }
    return s.substring(0, end);
  }
}
