package dev.weir.host.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Secrets resolved from the workspace never reach a log line, in messages, arguments or stack
 * traces.
 */
class SecretRedactionTest {
  @AfterEach
  void forget() {
    SecretRedactor.clear();
  }

  private static String logThroughHostPattern(Runnable logging) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PatternLayoutEncoder enc = new PatternLayoutEncoder();
    enc.setContext(ctx);
    // The pattern of src/main/resources/logback.xml (the conversion words are declared in
    // logback-test.xml too).
    enc.setPattern("%-5level %logger - %rmsg%n%rex");
    enc.start();
    OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> app =
        new OutputStreamAppender<>();
    app.setContext(ctx);
    app.setEncoder(enc);
    app.setOutputStream(bytes);
    app.start();
    Logger logger = ctx.getLogger("weir.connector.redaction-test");
    logger.setAdditive(false);
    logger.setLevel(Level.INFO);
    logger.addAppender(app);
    try {
      logging.run();
    } finally {
      logger.detachAppender(app);
      app.stop();
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void registeredSecretIsMaskedInMessagesArgumentsAndExceptions() {
    SecretRedactor.register(List.of("tok-12345-secret"));
    org.slf4j.Logger log = LoggerFactory.getLogger("weir.connector.redaction-test");
    String out =
        logThroughHostPattern(
            () -> {
              log.info("calling with header Bearer {}", "tok-12345-secret");
              log.warn("failed", new IllegalStateException("server echoed tok-12345-secret back"));
            });
    assertThat(out).doesNotContain("tok-12345-secret");
    assertThat(out).contains("calling with header Bearer ***").contains("server echoed *** back");
  }

  @Test
  void longerSecretIsMaskedWholeEvenWhenItContainsAShorterOne() {
    SecretRedactor.register(List.of("abc123", "abc123-and-more"));
    assertThat(SecretRedactor.redact("x abc123-and-more y abc123")).isEqualTo("x *** y ***");
  }

  @Test
  void textWithoutSecretsIsUnchanged() {
    SecretRedactor.register(List.of("hidden-value"));
    assertThat(SecretRedactor.redact("nothing to see")).isEqualTo("nothing to see");
  }
}
