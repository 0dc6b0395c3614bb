package dev.weir.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.realtime.RealtimeStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentApiTest {
  private static final String KEY = "segment-write-key";
  @TempDir Path dir;
  private RealtimeStore store;
  private HttpSource source;
  private StoreSourceContext context;

  @BeforeEach
  void start() throws Exception {
    store = StoreSourceContext.openStore(dir.resolve("store"));
    context =
        new StoreSourceContext(
            "web", Map.of("host", "127.0.0.1", "port", 0, "write_keys", List.of(KEY)), store);
    source = new HttpSource();
    source.start(context);
  }

  @AfterEach
  void stop() throws Exception {
    source.stop();
    store.close();
  }

  private static String basic(String user) {
    return "Basic "
        + Base64.getEncoder().encodeToString((user + ":").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void trackCallWithWriteKeyInTheBodyGetsSuccessTrueAndIsStoredUnderItsMessageId()
      throws Exception {
    Http.Answer a =
        Http.post(
            source.port(),
            "/v1/track",
            "{\"writeKey\":\""
                + KEY
                + "\",\"userId\":\"user-1\","
                + "\"event\":\"Signed Up\",\"messageId\":\"msg-1\",\"properties\":{\"plan\":\"pro\"}}");
    assertThat(a.code()).isEqualTo(200);
    assertThat(a.body().toString()).isEqualTo("{\"success\":true}");
    assertThat(context.stored).hasSize(1);
    assertThat(context.stored.get(0).eventType()).isEqualTo("Signed Up");
    assertThat(context.stored.get(0).insertId()).isEqualTo("msg-1");
  }

  @Test
  void writeKeyAsBasicUserIsAcceptedAndTheSameMessageIdIsStoredOnce() throws Exception {
    String call =
        "{\"anonymousId\":\"anon-1\",\"traits\":{\"email\":\"a@b.c\"},\"messageId\":\"msg-2\"}";
    assertThat(Http.post(source.port(), "/v1/identify", call, "Authorization", basic(KEY)).code())
        .isEqualTo(200);
    assertThat(Http.post(source.port(), "/v1/identify", call, "Authorization", basic(KEY)).code())
        .isEqualTo(200);
    assertThat(context.stored).extracting(e -> e.eventType()).containsExactly("$identify");
    assertThat(context.duplicates.get()).isEqualTo(1);
  }

  @Test
  void everySingleCallEndpointMapsItsType() throws Exception {
    String ids = "\"writeKey\":\"" + KEY + "\",\"userId\":\"user-1\"";
    assertThat(Http.post(source.port(), "/v1/page", "{" + ids + ",\"name\":\"Home\"}").code())
        .isEqualTo(200);
    assertThat(Http.post(source.port(), "/v1/screen", "{" + ids + ",\"name\":\"Main\"}").code())
        .isEqualTo(200);
    assertThat(Http.post(source.port(), "/v1/group", "{" + ids + ",\"groupId\":\"g-1\"}").code())
        .isEqualTo(200);
    assertThat(
            Http.post(source.port(), "/v1/alias", "{" + ids + ",\"previousId\":\"old-1\"}").code())
        .isEqualTo(200);
    assertThat(context.stored)
        .extracting(e -> e.eventType())
        .containsExactly("Viewed Home Page", "Viewed Main Screen", "$groupidentify", "$alias");
  }

  @Test
  void batchWithOneBadCallStoresTheOthersAndReportsItByIndex() throws Exception {
    Http.Answer a =
        Http.post(
            source.port(),
            "/v1/batch",
            "{\"writeKey\":\""
                + KEY
                + "\",\"batch\":["
                + "{\"type\":\"track\",\"userId\":\"user-1\",\"event\":\"A\",\"messageId\":\"b-1\"},"
                + "{\"type\":\"track\",\"event\":\"no ids\"},"
                + "{\"type\":\"identify\",\"userId\":\"user-2\",\"traits\":{}}],\"context\":{\"ip\":\"10.0.0.1\"}}");
    assertThat(a.code()).isEqualTo(200);
    assertThat(a.body().get("success").asBoolean()).isTrue();
    assertThat(a.body().at("/rejected/0/index").asInt()).isEqualTo(1);
    assertThat(a.body().at("/rejected/0/reason").asText()).contains("userId");
    assertThat(context.stored).extracting(e -> e.eventType()).containsExactly("A", "$identify");
    assertThat(context.stored.get(0).ip()).isEqualTo("10.0.0.1");
  }

  @Test
  void invalidJsonGets400() throws Exception {
    Http.Answer a =
        Http.post(source.port(), "/v1/track", "{\"writeKey\":", "Authorization", basic(KEY));
    assertThat(a.code()).isEqualTo(400);
    assertThat(a.body().get("success").asBoolean()).isFalse();
    assertThat(a.body().get("message").asText()).contains("invalid JSON");
  }

  @Test
  void callOver32KilobytesGets400AndNothingIsStored() throws Exception {
    String big =
        "{\"writeKey\":\""
            + KEY
            + "\",\"userId\":\"user-1\",\"event\":\"A\",\"properties\":{\"p\":\""
            + "x".repeat(33 * 1024)
            + "\"}}";
    Http.Answer a = Http.post(source.port(), "/v1/track", big);
    assertThat(a.code()).isEqualTo(400);
    assertThat(a.body().get("message").asText()).contains("over the limit");
    assertThat(context.stored).isEmpty();
  }

  @Test
  void batchOver500KilobytesGets400() throws Exception {
    StringBuilder b = new StringBuilder("{\"writeKey\":\"" + KEY + "\",\"batch\":[");
    for (int i = 0; i < 60; i++) {
      b.append(i == 0 ? "" : ",")
          .append("{\"type\":\"track\",\"userId\":\"user-1\",\"event\":\"A\",")
          .append("\"properties\":{\"p\":\"")
          .append("y".repeat(10_000))
          .append("\"}}");
    }
    Http.Answer a = Http.post(source.port(), "/v1/batch", b.append("]}").toString());
    assertThat(a.code()).isEqualTo(400);
    assertThat(context.stored).isEmpty();
  }

  @Test
  void oneCallOver32KilobytesInsideABatchIsRejectedAlone() throws Exception {
    Http.Answer a =
        Http.post(
            source.port(),
            "/v1/import",
            "{\"writeKey\":\""
                + KEY
                + "\",\"batch\":["
                + "{\"type\":\"track\",\"userId\":\"user-1\",\"event\":\"Big\",\"properties\":{\"p\":\""
                + "z".repeat(40_000)
                + "\"}},{\"type\":\"track\",\"userId\":\"user-1\",\"event\":\"Small\"}]}");
    assertThat(a.code()).isEqualTo(200);
    assertThat(a.body().at("/rejected/0/index").asInt()).isZero();
    assertThat(context.stored).extracting(e -> e.eventType()).containsExactly("Small");
  }

  @Test
  void missingOrUnknownWriteKeyGets401() throws Exception {
    String call = "{\"userId\":\"user-1\",\"event\":\"A\"}";
    assertThat(Http.post(source.port(), "/v1/track", call).code()).isEqualTo(401);
    assertThat(
            Http.post(source.port(), "/v1/track", call, "Authorization", basic("someone-else"))
                .code())
        .isEqualTo(401);
    assertThat(context.stored).isEmpty();
  }

  @Test
  void singleCallThatCannotBeMappedGets400WithTheReason() throws Exception {
    Http.Answer a =
        Http.post(
            source.port(), "/v1/track", "{\"writeKey\":\"" + KEY + "\",\"userId\":\"user-1\"}");
    assertThat(a.code()).isEqualTo(400);
    assertThat(a.body().get("message").asText()).contains("event");
  }

  @Test
  void storeRefusalGets503() throws Exception {
    context.refuse = true;
    Http.Answer a =
        Http.post(
            source.port(),
            "/v1/track",
            "{\"writeKey\":\"" + KEY + "\",\"userId\":\"user-1\"," + "\"event\":\"A\"}");
    assertThat(a.code()).isEqualTo(503);
    assertThat(a.body().get("success").asBoolean()).isFalse();
  }
}
