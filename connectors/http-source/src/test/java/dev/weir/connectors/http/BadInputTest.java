package dev.weir.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.realtime.RealtimeStore;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile or broken requests each get a clear error, and the server keeps serving afterwards. */
class BadInputTest {
  private static final String KEY = "amp-api-key-0001";
  private static final String GOOD =
      "{\"api_key\":\""
          + KEY
          + "\",\"events\":[{\"event_type\":\"Ok\","
          + "\"user_id\":\"user-1\"}]}";
  @TempDir Path dir;
  private RealtimeStore store;
  private HttpSource source;
  private StoreSourceContext context;

  @BeforeEach
  void start() throws Exception {
    store = StoreSourceContext.openStore(dir.resolve("store"));
    context =
        new StoreSourceContext(
            "mobile",
            Map.of(
                "host",
                "127.0.0.1",
                "port",
                0,
                "write_keys",
                List.of(KEY),
                "idle_timeout_ms",
                500,
                "body_timeout_ms",
                1000,
                "eps_threshold",
                0),
            store);
    source = new HttpSource();
    source.start(context);
  }

  @AfterEach
  void stop() throws Exception {
    source.stop();
    store.close();
  }

  private void serverStillServes() throws Exception {
    int before = context.stored.size();
    assertThat(Http.post(source.port(), "/2/httpapi", GOOD).code()).isEqualTo(200);
    assertThat(context.stored).hasSize(before + 1);
  }

  @Test
  void deeplyNestedJsonIsRefusedWith400() throws Exception {
    String deep =
        "{\"api_key\":\""
            + KEY
            + "\",\"events\":[{\"event_type\":\"A\",\"user_id\":\"user-1\","
            + "\"event_properties\":"
            + "{\"a\":".repeat(5000)
            + "1"
            + "}".repeat(5000)
            + "}]}";
    Http.Answer a = Http.post(source.port(), "/2/httpapi", deep);
    assertThat(a.code()).isEqualTo(400);
    assertThat(a.body().get("error").asText()).isEqualTo("Invalid JSON request body");
    assertThat(a.body().get("detail").asText())
        .startsWith("nested deeper than 64 levels")
        .doesNotContain("StreamReadConstraints");
    serverStillServes();
  }

  @Test
  void hugeNumberIsRefusedWith400() throws Exception {
    Http.Answer a =
        Http.post(
            source.port(),
            "/2/httpapi",
            "{\"api_key\":\""
                + KEY
                + "\",\"events\":[{"
                + "\"event_type\":\"A\",\"user_id\":\"user-1\",\"time\":"
                + "9".repeat(5000)
                + "}]}");
    assertThat(a.code()).isEqualTo(400);
    assertThat(a.body().get("detail").asText())
        .startsWith("a number has more than 100 digits")
        .doesNotContain("StreamReadConstraints");
    serverStillServes();
  }

  @Test
  void hugeStringIsRefusedWith400() throws Exception {
    Http.Answer a =
        Http.post(
            source.port(),
            "/batch",
            "{\"api_key\":\""
                + KEY
                + "\",\"events\":[{"
                + "\"event_type\":\""
                + "s".repeat(Bodies.MAX_STRING + 10)
                + "\",\"user_id\":\"user-1\"}]}");
    assertThat(a.code()).isEqualTo(400);
    assertThat(a.body().get("detail").asText())
        .startsWith("a string is longer than 1048576 characters")
        .doesNotContain("StreamReadConstraints");
    serverStillServes();
  }

  @Test
  void invalidUtf8IsRefusedWith400() throws Exception {
    byte[] prefix =
        ("{\"api_key\":\"" + KEY + "\",\"events\":[{\"event_type\":\"")
            .getBytes(StandardCharsets.UTF_8);
    byte[] suffix = "\",\"user_id\":\"user-1\"}]}".getBytes(StandardCharsets.UTF_8);
    byte[] body = Arrays.copyOf(prefix, prefix.length + 2 + suffix.length);
    body[prefix.length] = (byte) 0xC3;
    body[prefix.length + 1] = (byte) 0x28;
    System.arraycopy(suffix, 0, body, prefix.length + 2, suffix.length);
    Http.Answer a = Http.post(source.port(), "/2/httpapi", body);
    assertThat(a.code()).isEqualTo(400);
    assertThat(a.body().get("detail").asText()).containsIgnoringCase("UTF-8");
    serverStillServes();
  }

  @Test
  void wrongTypesAreReportedPerEvent() throws Exception {
    Http.Answer a =
        Http.post(
            source.port(),
            "/2/httpapi",
            "{\"api_key\":\""
                + KEY
                + "\",\"events\":[{"
                + "\"event_type\":42,\"user_id\":\"user-1\"},{\"event_type\":\"A\",\"user_id\":\"user-1\","
                + "\"event_properties\":[1,2]}]}");
    assertThat(a.code()).isEqualTo(400);
    assertThat(a.body().get("events_with_invalid_fields").toString())
        .contains("event_type")
        .contains("[0]");
    assertThat(a.body().at("/events_with_invalid_fields/event_properties").toString())
        .isEqualTo("[1]");
    serverStillServes();
  }

  @Test
  void truncatedGzipIsRefusedWith400() throws Exception {
    byte[] zipped = Http.gzip(GOOD.getBytes(StandardCharsets.UTF_8));
    Http.Answer a =
        Http.post(
            source.port(),
            "/2/httpapi",
            Arrays.copyOf(zipped, zipped.length / 2),
            "Content-Encoding",
            "gzip");
    assertThat(a.code()).isEqualTo(400);
    assertThat(a.body().get("detail").asText()).isEqualTo("truncated gzip body");
    serverStillServes();
  }

  @Test
  void gzipBombStopsAtTheDecompressedLimitWith413() throws Exception {
    byte[] zeros = new byte[64 << 20];
    byte[] bomb = Http.gzip(zeros);
    assertThat(bomb.length).isLessThan(1 << 20);
    Http.Answer a = Http.post(source.port(), "/2/httpapi", bomb, "Content-Encoding", "gzip");
    assertThat(a.code()).isEqualTo(413);
    assertThat(a.body().get("error").asText()).isEqualTo("Payload too large");
    serverStillServes();
  }

  @Test
  void unsupportedContentEncodingGets415() throws Exception {
    Http.Answer a = Http.post(source.port(), "/2/httpapi", GOOD, "Content-Encoding", "br");
    assertThat(a.code()).isEqualTo(415);
    serverStillServes();
  }

  @Test
  void slowClientThatStopsSendingItsBodyIsCutOffAndOthersAreServed() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", source.port())) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /2/httpapi HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                  + "Content-Length: 1000\r\n\r\n{\"api_key\":")
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      serverStillServes();
      // The server gives up on the stalled body after idle_timeout_ms: it answers and/or closes the
      // connection,
      // so this read ends (instead of hanging until the 15 s socket timeout).
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[1024];
      int n;
      try {
        while ((n = in.read(buf)) > 0) {
          got.write(buf, 0, n);
        }
      } catch (java.net.SocketException reset) {
        // a reset also ends the connection
      }
      String answer = got.toString(StandardCharsets.UTF_8);
      assertThat(
              answer.isEmpty()
                  || answer.startsWith("HTTP/1.1 4")
                  || answer.startsWith("HTTP/1.1 5"))
          .isTrue();
    }
    assertThat(context.stored).hasSize(1);
    serverStillServes();
  }

  @Test
  void clientTricklingItsBodyGets408WhenTheBodyTimeoutPasses() throws Exception {
    java.util.concurrent.ScheduledExecutorService pacer =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try (Socket socket = new Socket("127.0.0.1", source.port())) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /2/httpapi HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                  + "Content-Length: 100000\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      // One byte every 100 ms: never idle for idle_timeout_ms (500), but far slower than
      // body_timeout_ms allows.
      pacer.scheduleAtFixedRate(
          () -> {
            try {
              out.write(' ');
              out.flush();
            } catch (java.io.IOException closed) {
              throw new java.io.UncheckedIOException(closed);
            }
          },
          0,
          100,
          java.util.concurrent.TimeUnit.MILLISECONDS);
      byte[] head = socket.getInputStream().readNBytes(12);
      assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 408");
    } finally {
      pacer.shutdownNow();
    }
    serverStillServes();
  }
}
