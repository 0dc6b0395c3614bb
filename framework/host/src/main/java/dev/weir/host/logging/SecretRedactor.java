package dev.weir.host.logging;

import dev.weir.runtime.Redactor;
import java.util.Collection;

/**
 * The running host's {@link Redactor}: the resolved secret values of the workspace, applied to
 * every log line by Logback's converters ({@link RedactingMessageConverter}, {@link
 * RedactingThrowableConverter}). A process-wide holder because Logback creates the converters.
 * Thread-safe: the redactor is replaced atomically.
 */
public final class SecretRedactor {
  public static final String MASK = Redactor.MASK;
  private static volatile Redactor current = Redactor.NONE;

  private SecretRedactor() {}

  /** Adds secret values to mask. */
  public static synchronized void register(Collection<String> values) {
    current = current.with(values);
  }

  /** Forgets every secret (tests, or a host that reloads its workspace). */
  public static synchronized void clear() {
    current = Redactor.NONE;
  }

  /** The redactor in force now. */
  public static Redactor current() {
    return current;
  }

  public static String redact(String text) {
    return current.redact(text);
  }
}
