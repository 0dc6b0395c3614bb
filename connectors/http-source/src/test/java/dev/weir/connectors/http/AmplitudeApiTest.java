package dev.weir.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.realtime.RealtimeStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AmplitudeApiTest {
  private static final String KEY = "amp-api-key-0001";
  @TempDir Path dir;
  private RealtimeStore store;
  private HttpSource source;
  private StoreSourceContext context;

  private void start(Map<String, Object> extra) throws Exception {
    store = StoreSourceContext.openStore(dir.resolve("store"));
    Map<String, Object> settings =
        new HashMap<>(Map.of("host", "127.0.0.1", "port", 0, "write_keys", List.of(KEY)));
    settings.putAll(extra);
    context = new StoreSourceContext("mobile", settings, store);
    source = new HttpSource();
    source.start(context);
  }

  @AfterEach
  void stop() throws Exception {
    if (source != null) {
      source.stop();
    }
    if (store != null) {
      store.close();
    }
  }

  private Http.Answer post(String path, String body) throws Exception {
    return Http.post(source.port(), path, body);
  }

  @Test
  void validRequestGetsAmplitudesExactSuccessBodyAndIsStored() throws Exception {
    start(Map.of());
    String body =
        "{\"api_key\":\""
            + KEY
            + "\",\"events\":[{\"event_type\":\"Signed Up\",\"user_id\":\"user-1\","
            + "\"insert_id\":\"i-1\",\"ip\":\"$remote\"},{\"event_type\":\"Opened\",\"device_id\":\"device-1\","
            + "\"time\":1700000000000}]}";
    long before = System.currentTimeMillis();
    Http.Answer a = post("/2/httpapi", body);
    assertThat(a.code()).isEqualTo(200);
    assertThat(a.body().get("code").asInt()).isEqualTo(200);
    assertThat(a.body().get("events_ingested").asInt()).isEqualTo(2);
    assertThat(a.body().get("payload_size_bytes").asInt())
        .isEqualTo(body.getBytes(StandardCharsets.UTF_8).length);
    assertThat(a.body().get("server_upload_time").isIntegralNumber()).isTrue();
    assertThat(a.body().get("server_upload_time").asLong()).isGreaterThanOrEqualTo(before);
    assertThat(context.stored).hasSize(2);
    assertThat(context.stored.get(0).ip()).isEqualTo("127.0.0.1");
    assertThat(context.stored.get(0).sourceId()).isEqualTo("mobile");
    assertThat(context.stored.get(0).time()).isEqualTo(context.stored.get(0).uploadTime());
    assertThat(context.stored.get(1).time()).isEqualTo(1700000000000L);
  }

  @Test
  void resendingTheSameInsertIdsStoresNothingNew() throws Exception {
    start(Map.of());
    String body =
        "{\"api_key\":\""
            + KEY
            + "\",\"events\":[{\"event_type\":\"A\",\"user_id\":\"user-1\","
            + "\"insert_id\":\"dup-1\"},{\"event_type\":\"B\",\"user_id\":\"user-1\",\"insert_id\":\"dup-2\"}]}";
    assertThat(post("/2/httpapi", body).code()).isEqualTo(200);
    Http.Answer again = post("/batch", body);
    assertThat(again.code()).isEqualTo(200);
    assertThat(context.stored).hasSize(2);
    assertThat(context.duplicates.get()).isEqualTo(2);
  }

  @Test
  void badEventsAreListedByIndexAndFieldWhileTheValidOnesAreIngested() throws Exception {
    start(Map.of());
    String body =
        "{\"api_key\":\""
            + KEY
            + "\",\"events\":["
            + "{\"event_type\":\"Good\",\"user_id\":\"user-1\"},"
            + "{\"user_id\":\"user-2\"},"
            + "{\"event_type\":\"T\",\"user_id\":\"user-3\",\"time\":\"2024-01-01T00:00:00Z\"},"
            + "{\"event_type\":\"S\",\"user_id\":\"abc\"},"
            + "42,"
            + "{\"event_type\":\"Good2\",\"device_id\":\"device-9\"}]}";
    Http.Answer a = post("/2/httpapi", body);
    assertThat(a.code()).isEqualTo(400);
    JsonNode b = a.body();
    assertThat(b.get("code").asInt()).isEqualTo(400);
    assertThat(b.get("error").asText()).isEqualTo("Request missing required field");
    assertThat(b.at("/events_with_missing_fields/event_type").toString()).isEqualTo("[1]");
    assertThat(b.at("/events_with_invalid_fields/time").toString()).isEqualTo("[2]");
    assertThat(b.at("/events_with_invalid_fields/event").toString()).isEqualTo("[4]");
    assertThat(b.at("/events_with_invalid_id_lengths/user_id").toString()).isEqualTo("[3]");
    // Listed among the invalid fields too: the SDK drops only what those maps name before it
    // retries.
    assertThat(b.at("/events_with_invalid_fields/user_id").toString()).isEqualTo("[3]");
    assertThat(context.stored).extracting(e -> e.eventType()).containsExactly("Good", "Good2");
  }

  @Test
  void minIdLengthOptionLowersTheIdLengthRule() throws Exception {
    start(Map.of());
    String body =
        "{\"api_key\":\""
            + KEY
            + "\",\"options\":{\"min_id_length\":2},"
            + "\"events\":[{\"event_type\":\"S\",\"user_id\":\"abc\"}]}";
    assertThat(post("/2/httpapi", body).code()).isEqualTo(200);
    assertThat(context.stored).hasSize(1);
  }

  @Test
  void junkIdsAreInvalid() throws Exception {
    start(Map.of());
    Http.Answer a =
        post(
            "/2/httpapi",
            "{\"api_key\":\""
                + KEY
                + "\",\"events\":[{\"event_type\":\"S\","
                + "\"user_id\":\"undefined\"}]}");
    assertThat(a.code()).isEqualTo(400);
    assertThat(a.body().get("error").asText()).isEqualTo("Invalid field values on some events");
    assertThat(a.body().at("/events_with_invalid_fields/user_id").toString()).isEqualTo("[0]");
    assertThat(context.stored).isEmpty();
  }

  @Test
  void missingApiKeyNamesTheMissingField() throws Exception {
    start(Map.of());
    Http.Answer a = post("/2/httpapi", "{\"events\":[]}");
    assertThat(a.code()).isEqualTo(400);
    assertThat(a.body().get("error").asText()).isEqualTo("Request missing required field");
    assertThat(a.body().get("missing_field").asText()).isEqualTo("api_key");
  }

  @Test
  void missingEventsNamesTheMissingField() throws Exception {
    start(Map.of());
    Http.Answer a = post("/2/httpapi", "{\"api_key\":\"" + KEY + "\"}");
    assertThat(a.code()).isEqualTo(400);
    assertThat(a.body().get("missing_field").asText()).isEqualTo("events");
  }

  @Test
  void unknownApiKeyGetsInvalidApiKeyWithTheKey() throws Exception {
    start(Map.of());
    Http.Answer a =
        post(
            "/2/httpapi",
            "{\"api_key\":\"not-a-known-key\",\"events\":[{\"event_type\":\"A\","
                + "\"user_id\":\"user-1\"}]}");
    assertThat(a.code()).isEqualTo(400);
    assertThat(a.body().get("error").asText()).isEqualTo("Invalid API key: not-a-known-key");
    assertThat(context.stored).isEmpty();
  }

  @Test
  void invalidAndEmptyBodiesGetAmplitudesErrorStrings() throws Exception {
    start(Map.of());
    assertThat(post("/2/httpapi", "").body().get("error").asText())
        .isEqualTo("Missing request body");
    Http.Answer bad = post("/2/httpapi", "{\"api_key\": ");
    assertThat(bad.code()).isEqualTo(400);
    assertThat(bad.body().get("error").asText()).isEqualTo("Invalid JSON request body");
    Http.Answer wrongEvents = post("/2/httpapi", "{\"api_key\":\"" + KEY + "\",\"events\":\"x\"}");
    assertThat(wrongEvents.body().get("error").asText()).isEqualTo("Invalid event JSON");
  }

  @Test
  void bodyOverTheSizeLimitGets413PayloadTooLarge() throws Exception {
    start(Map.of("amplitude_max_body_bytes", 2048));
    String big =
        "{\"api_key\":\""
            + KEY
            + "\",\"events\":[{\"event_type\":\"A\",\"user_id\":\"user-1\","
            + "\"event_properties\":{\"p\":\""
            + "x".repeat(4096)
            + "\"}}]}";
    Http.Answer a = post("/2/httpapi", big);
    assertThat(a.code()).isEqualTo(413);
    assertThat(a.body().toString()).isEqualTo("{\"code\":413,\"error\":\"Payload too large\"}");
    assertThat(context.stored).isEmpty();
  }

  @Test
  void moreEventsThanTheCountLimitGets413() throws Exception {
    start(Map.of("max_events_per_request", 2));
    String ev = "{\"event_type\":\"A\",\"user_id\":\"user-1\"}";
    Http.Answer a =
        post(
            "/2/httpapi",
            "{\"api_key\":\"" + KEY + "\",\"events\":[" + ev + "," + ev + "," + ev + "]}");
    assertThat(a.code()).isEqualTo(413);
    assertThat(a.body().get("error").asText()).isEqualTo("Payload too large");
  }

  @Test
  void deviceOverItsEventsPerSecondGets429WithAmplitudesShapeAndTheRestIsIngested()
      throws Exception {
    start(Map.of("eps_threshold", 2));
    String ev = "{\"event_type\":\"A\",\"device_id\":\"device-hot\"}";
    Http.Answer a =
        post(
            "/2/httpapi",
            "{\"api_key\":\""
                + KEY
                + "\",\"events\":["
                + ev
                + ","
                + ev
                + ","
                + "{\"event_type\":\"B\",\"user_id\":\"user-calm\"},"
                + ev
                + "]}");
    assertThat(a.code()).isEqualTo(429);
    JsonNode b = a.body();
    assertThat(b.get("code").asInt()).isEqualTo(429);
    assertThat(b.get("error").asText()).isEqualTo("Too many requests for some devices and users");
    assertThat(b.get("eps_threshold").isInt()).isTrue();
    assertThat(b.get("eps_threshold").asInt()).isEqualTo(2);
    assertThat(b.at("/throttled_devices/device-hot").asInt()).isGreaterThan(2);
    assertThat(b.get("throttled_users").isObject()).isTrue();
    assertThat(b.get("throttled_events").toString()).isEqualTo("[3]");
    assertThat(b.has("exceeded_daily_quota_users")).isFalse();
    assertThat(context.stored).hasSize(3);
  }

  @Test
  void batchEndpointThrottlesAtItsOwnThresholdAndAddsTheDailyQuotaMaps() throws Exception {
    start(Map.of("batch_eps_threshold", 1));
    String ev = "{\"event_type\":\"A\",\"user_id\":\"user-hot\"}";
    Http.Answer a =
        post("/batch", "{\"api_key\":\"" + KEY + "\",\"events\":[" + ev + "," + ev + "]}");
    assertThat(a.code()).isEqualTo(429);
    assertThat(a.body().get("eps_threshold").asInt()).isEqualTo(1);
    assertThat(a.body().at("/throttled_users/user-hot").asInt()).isEqualTo(2);
    assertThat(a.body().get("throttled_events").toString()).isEqualTo("[1]");
    assertThat(a.body().get("exceeded_daily_quota_users").isObject()).isTrue();
    assertThat(a.body().get("exceeded_daily_quota_devices").isObject()).isTrue();
  }

  @Test
  void storeRefusalGets503AndNothingIsReportedIngested() throws Exception {
    start(Map.of());
    context.refuse = true;
    Http.Answer a =
        post(
            "/2/httpapi",
            "{\"api_key\":\""
                + KEY
                + "\",\"events\":[{\"event_type\":\"A\","
                + "\"user_id\":\"user-1\"}]}");
    assertThat(a.code()).isEqualTo(503);
    assertThat(a.body().get("code").asInt()).isEqualTo(503);
    assertThat(a.body().has("events_ingested")).isFalse();
    assertThat(context.stored).isEmpty();
  }

  @Test
  void gzipBodiesAreAccepted() throws Exception {
    start(Map.of());
    byte[] body =
        ("{\"api_key\":\""
                + KEY
                + "\",\"events\":[{\"event_type\":\"Zipped\",\"user_id\":\"user-1\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    Http.Answer a =
        Http.post(source.port(), "/2/httpapi", Http.gzip(body), "Content-Encoding", "gzip");
    assertThat(a.code()).isEqualTo(200);
    assertThat(context.stored).extracting(e -> e.eventType()).containsExactly("Zipped");
  }
}
