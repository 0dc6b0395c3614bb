package dev.weir.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class StructuredLogTest {
  @TempDir Path dir;

  @Test
  void aFailedRequestIsLoggedAsJsonWithItsRequestIdAndTheResponseHidesTheCause() throws Exception {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(ctx);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(ctx);
    appender.setEncoder(encoder);
    appender.setOutputStream(out);
    appender.start();
    Logger logger = ctx.getLogger(AdminServer.class);
    logger.addAppender(appender);
    try (LiveStack stack = new LiveStack(dir);
        AdminServer server =
            AdminServer.start(
                stack,
                AdminOptions.builder().host("127.0.0.1").port(0).tokens(List.of("t")).build())) {
      stack.failSourceStatus.set(true);
      Request req =
          new Request.Builder()
              .url("http://127.0.0.1:" + server.port() + "/api/v1/sources/web/status")
              .header("Authorization", "Bearer t")
              .header("X-Request-Id", "trace-77")
              .build();
      try (Response r = new OkHttpClient().newCall(req).execute()) {
        assertThat(r.code()).isEqualTo(500);
        String body = r.body().string();
        assertThat(body).contains("trace-77").doesNotContain("do-not-leak");
      }
    } finally {
      logger.detachAppender(appender);
      appender.stop();
    }
    String logged = out.toString(StandardCharsets.UTF_8);
    JsonNode line = null;
    for (String l : logged.split("\n")) {
      if (l.contains("admin request")) {
        line = HttpJson.MAPPER.readTree(l);
      }
    }
    assertThat(line).as(logged).isNotNull();
    assertThat(line.path("level").asText()).isEqualTo("WARN");
    assertThat(line.path("mdc").path("request_id").asText()).isEqualTo("trace-77");
  }
}
