package dev.weir.delivery;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text bound for logs, status and dead letters: the destination's known secret
 * values, and anything that looks like a credential (authorization headers, token/key/password
 * parameters). Thread-safe.
 */
final class Redactor {
  static final int MAX_EXCERPT = 2000;
  private static final Pattern CREDENTIAL =
      Pattern.compile(
          "(?i)(authorization|bearer|basic|api[_-]?key|apikey|token|secret|password|passwd|x-api-key)"
              + "(\"?\\s*[:=]\\s*\"?|\\s+)((?:(?:bearer|basic)\\s+)?[^\\s\",&;}]+)");

  private final List<String> secrets;

  Redactor(List<String> secrets) {
    this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 4).toList();
  }

  String clean(String text) {
    if (text == null || text.isEmpty()) {
      return "";
    }
    String out = text;
    for (String s : secrets) {
      out = out.replace(s, "[redacted]");
    }
    Matcher m = CREDENTIAL.matcher(out);
    out = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + r.group(2) + "[redacted]"));
    return out.length() > MAX_EXCERPT ? out.substring(0, MAX_EXCERPT) + "..." : out;
  }
}
