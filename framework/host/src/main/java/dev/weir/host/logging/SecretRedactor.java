package dev.weir.host.logging;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The resolved secret values of the running workspace, and the function that masks them in text.
 * Logback's converters ({@link RedactingMessageConverter}, {@link RedactingThrowableConverter})
 * call {@link #redact} on every log line. Thread-safe: the set is replaced atomically.
 */
public final class SecretRedactor {
  public static final String MASK = "***";
  private static volatile List<String> secrets = List.of();

  private SecretRedactor() {}

  /** Adds secret values to mask; longest first so a secret containing another is masked whole. */
  public static synchronized void register(Collection<String> values) {
    Set<String> all = new LinkedHashSet<>(secrets);
    for (String v : values) {
      if (v != null && !v.isEmpty()) {
        all.add(v);
      }
    }
    secrets = all.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  /** Forgets every secret (tests, or a host that reloads its workspace). */
  public static synchronized void clear() {
    secrets = List.of();
  }

  public static String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String s : secrets) {
      if (out.contains(s)) {
        out = out.replace(s, MASK);
      }
    }
    return out;
  }
}
