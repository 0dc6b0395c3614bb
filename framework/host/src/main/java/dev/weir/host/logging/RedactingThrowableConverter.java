package dev.weir.host.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %ex} (stack traces and exception messages) with the workspace's secret values masked.
 * Stateless.
 */
public final class RedactingThrowableConverter extends ThrowableProxyConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return SecretRedactor.redact(super.convert(event));
  }
}
