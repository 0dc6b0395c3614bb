package dev.weir.delivery;

import dev.weir.runtime.Redactor;

/**
 * Text bound for status, metrics and dead letters: secrets and credential-looking values removed by
 * the runtime's {@link Redactor}, cut to {@link #MAX_EXCERPT} characters. Stateless.
 */
final class Excerpts {
  static final int MAX_EXCERPT = 2000;

  private Excerpts() {}

  /** {@code text} redacted and cut; null or empty becomes {@code ""}. */
  static String clean(Redactor redactor, String text) {
    if (text == null || text.isEmpty()) {
      return "";
    }
    String out = redactor.redactCredentials(text);
    return out.length() > MAX_EXCERPT ? out.substring(0, MAX_EXCERPT) + "..." : out;
  }
}
