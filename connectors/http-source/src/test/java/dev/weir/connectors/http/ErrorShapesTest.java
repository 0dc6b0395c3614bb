package dev.weir.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, point 9: every ingest error, the HTTP server's own included, answers JSON in the
 * endpoint's error shape, names no internal class or library, and gzip works on every endpoint.
 */
class ErrorShapesTest {
  private static final String KEY = "shape-key-0001";
  private static final List<String> INTERNAL =
      List.of(
          "<html",
          "Jetty",
          "Javalin",
          "Servlet",
          "Exception",
          "StreamReadConstraints",
          "JsonReadFeature",
          "com.fasterxml",
          "org.eclipse",
          "`");
  private HttpSource source;
  private RecordingSourceContext context;

  @BeforeEach
  void start() {
    context =
        new RecordingSourceContext(
            Map.of("host", "127.0.0.1", "port", 0, "write_keys", List.of(KEY)));
    source = new HttpSource();
    source.start(context);
  }

  @AfterEach
  void stop() throws Exception {
    source.stop();
  }

  private static void segmentShape(Raw.Answer a, int status) throws Exception {
    assertThat(a.status()).as(a.head()).isEqualTo(status);
    assertThat(a.head()).containsIgnoringCase("Content-Type: application/json");
    JsonNode body = a.json();
    assertThat(body.get("success").asBoolean(true)).isFalse();
    assertThat(body.get("code").asInt()).isEqualTo(status);
    assertThat(body.get("message").asText()).isNotBlank();
    noInternalNames(a.body());
  }

  private static void codeErrorShape(Raw.Answer a, int status) throws Exception {
    assertThat(a.status()).as(a.head()).isEqualTo(status);
    assertThat(a.head()).containsIgnoringCase("Content-Type: application/json");
    JsonNode body = a.json();
    assertThat(body.get("code").asInt()).isEqualTo(status);
    assertThat(body.get("error").asText()).isNotBlank();
    noInternalNames(a.body());
  }

  private static void noInternalNames(String text) {
    for (String name : INTERNAL) {
      assertThat(text).as("answer leaks '" + name + "'").doesNotContain(name);
    }
  }

  @Test
  void headersTooLargeAnswer431InJson() throws Exception {
    Raw.Answer a =
        Raw.send(
            source.port(),
            "POST /v1/track HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");
    assertThat(a.status()).isEqualTo(431);
    // The server could not read the request far enough to know the endpoint: both shapes at once.
    codeErrorShape(a, 431);
    segmentShape(a, 431);
  }

  @Test
  void uriTooLongAnswers414InJson() throws Exception {
    Raw.Answer a =
        Raw.send(
            source.port(),
            "POST /2/httpapi?" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    codeErrorShape(a, 414);
  }

  @Test
  void anUnsupportedHttpVersionAnswers505InJson() throws Exception {
    codeErrorShape(Raw.send(source.port(), "POST /batch HTTP/3.0\r\nHost: x\r\n\r\n"), 505);
  }

  @Test
  void aMalformedRequestAnswers400InJson() throws Exception {
    codeErrorShape(
        Raw.send(source.port(), "POST /v1/events HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"), 400);
    codeErrorShape(
        Raw.send(
            source.port(),
            "POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"),
        400);
  }

  @Test
  void anHttp2PrefaceAnswersInJsonNotHtml() throws Exception {
    Raw.Answer a = Raw.send(source.port(), "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    assertThat(a.status()).isBetween(400, 599);
    codeErrorShape(a, a.status());
  }

  @Test
  void anUnknownPathAnswersInTheShapeOfItsApi() throws Exception {
    segmentShape(
        Raw.send(source.port(), "POST /v1/nope HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"),
        404);
    codeErrorShape(
        Raw.send(source.port(), "POST /3/nope HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"),
        404);
  }

  @Test
  void invalidJsonOnEveryEndpointIsExplainedWithoutLibraryNames() throws Exception {
    String bad = "{\"a\":\u0001}";
    Http.Answer canonical =
        Http.post(source.port(), "/v1/events", bad, "Authorization", "Bearer " + KEY);
    assertThat(canonical.code()).isEqualTo(400);
    noInternalNames(canonical.text());
    Http.Answer amplitude = Http.post(source.port(), "/2/httpapi", bad);
    assertThat(amplitude.code()).isEqualTo(400);
    noInternalNames(amplitude.text());
    Http.Answer segment = Http.post(source.port(), "/v1/track", bad);
    assertThat(segment.code()).isEqualTo(400);
    noInternalNames(segment.text());
    Http.Answer deep =
        Http.post(
            source.port(),
            "/v1/events",
            "[" + "[".repeat(100) + "]".repeat(100) + "]",
            "Authorization",
            "Bearer " + KEY);
    assertThat(deep.body().get("error").asText()).contains("nested deeper than 64 levels");
    noInternalNames(deep.text());
  }

  @Test
  void gzipIsAcceptedOnEveryEndpointTheCanonicalOneIncluded() throws Exception {
    byte[] canonical =
        Http.gzip(
            "[{\"event_type\":\"A\",\"user_id\":\"user-1\"}]".getBytes(StandardCharsets.UTF_8));
    Http.Answer a =
        Http.post(
            source.port(),
            "/v1/events",
            canonical,
            "Authorization",
            "Bearer " + KEY,
            "Content-Encoding",
            "gzip");
    assertThat(a.code()).as(a.text()).isEqualTo(200);
    byte[] amplitude =
        Http.gzip(
            ("{\"api_key\":\""
                    + KEY
                    + "\",\"events\":[{\"event_type\":\"B\",\"user_id\":\"user-1\"}]}")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(Http.post(source.port(), "/2/httpapi", amplitude, "Content-Encoding", "gzip").code())
        .isEqualTo(200);
    byte[] segment =
        Http.gzip(
            ("{\"writeKey\":\"" + KEY + "\",\"userId\":\"u1\",\"event\":\"C\"}")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(Http.post(source.port(), "/v1/track", segment, "Content-Encoding", "gzip").code())
        .isEqualTo(200);
    assertThat(context.submitted).extracting(e -> e.eventType()).containsExactly("A", "B", "C");
  }
}
