package dev.weir.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.fuzz.Fuzz;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes {@code POST /api/v1/store/query} on a real admin server over a real store holding events:
 * mutated copies of good queries of every type (values swapped for hostile ones, keys dropped or
 * misspelt, nodes nested deep or copied wide, text cut or spliced) are answered 200 or 400, never
 * 500; a 400 names the JSON path of each problem (only a body that is not JSON at all has none) and
 * says what is wrong without internal class names. Inputs that broke it are kept under {@code
 * src/test/resources/fuzz-regressions/store-query/} and replayed. See {@link Fuzz} for {@code
 * -Dweir.fuzz.seed} and {@code -Dweir.fuzz.iterations} (default 300).
 */
class StoreQueryFuzzTest {
  static final String TARGET = "store-query";
  static final String TOKEN = "fuzz-admin-token";
  static final List<String> GOOD =
      List.of(
          "{\"type\":\"segmentation\",\"event_type\":\"Product Viewed\",\"bucket\":\"hour\","
              + "\"metric\":\"uniques\",\"group_by\":\"product_id\",\"from\":0,"
              + "\"filters\":[{\"property\":\"price\",\"op\":\"gt\",\"value\":5}]}",
          "{\"type\":\"segmentation\",\"bucket\":\"day\",\"from\":\"2026-01-01T00:00:00Z\","
              + "\"to\":\"2036-01-01T00:00:00Z\"}",
          "{\"type\":\"funnel\",\"steps\":[{\"event_type\":\"Product Viewed\"},"
              + "{\"event_type\":\"Product Added\",\"filters\":[{\"property\":\"quantity\","
              + "\"op\":\"in\",\"values\":[1,2,3]}]}],\"conversion_window_ms\":3600000}",
          "{\"type\":\"audience\",\"event_type\":\"Product Viewed\","
              + "\"filters\":[{\"property\":\"product_id\",\"op\":\"eq\",\"value\":\"SKU-1\"}]}");

  @TempDir static Path dir;
  static LiveStack stack;
  static AdminServer server;
  static final OkHttpClient HTTP =
      new OkHttpClient.Builder().readTimeout(60, TimeUnit.SECONDS).build();

  @BeforeAll
  static void start() throws IOException {
    stack = new LiveStack(dir);
    List<dev.weir.sdk.Event> events = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      events.add(
          LiveStack.event(
              i % 2 == 0 ? "Product Viewed" : "Product Added",
              "user-" + (i % 7),
              Map.of("product_id", "SKU-" + (i % 3), "price", i * 1.5, "quantity", i % 4)));
    }
    stack.ingest(events);
    server =
        AdminServer.start(
            stack,
            AdminOptions.builder().host("127.0.0.1").port(0).tokens(List.of(TOKEN)).build(),
            60_000);
  }

  @AfterAll
  static void stop() throws IOException {
    server.close();
    stack.close();
  }

  @Test
  void noMutatedQueryGetsAServerError() {
    Fuzz fuzz = new Fuzz(Fuzz.SEED ^ TARGET.hashCode());
    Map<String, Integer> outcomes =
        Fuzz.run(TARGET, Fuzz.iterations(300), i -> fuzz.json(GOOD), StoreQueryFuzzTest::check);
    assertThat(outcomes).as("mutations reach past the reader").containsKeys("200", "400");
  }

  @TestFactory
  List<DynamicTest> keptRegressionInputsAreAnsweredWithoutAServerError() {
    return Fuzz.replay(TARGET, StoreQueryFuzzTest::check);
  }

  static String check(byte[] body) throws IOException {
    Request r =
        new Request.Builder()
            .url("http://127.0.0.1:" + server.port() + "/api/v1/store/query")
            .header("Authorization", "Bearer " + TOKEN)
            .post(RequestBody.create(body, MediaType.get("application/json")))
            .build();
    try (Response resp = HTTP.newCall(r).execute()) {
      String text = resp.body().string();
      assertThat(resp.code()).as(text).isIn(200, 400);
      if (resp.code() == 400) {
        JsonNode answer = HttpJson.MAPPER.readTree(text);
        String error = answer.path("error").asText("") + answer.path("errors").toString();
        assertThat(error).as(text).isNotBlank();
        assertThat(error)
            .as("no internal names in %s", text)
            .doesNotContain("Exception", "java.", "com.fasterxml", "StreamReadConstraints");
        if (answer.has("errors")) {
          for (JsonNode e : answer.get("errors")) {
            assertThat(e.path("path").asText())
                .as("each error names its path: %s", text)
                .startsWith("$");
            assertThat(e.path("message").asText()).as(text).isNotBlank();
          }
        } else {
          assertThat(error)
              .as("only an unreadable body has no path: %s", text)
              .contains("not valid JSON");
        }
      }
      return String.valueOf(resp.code());
    }
  }
}
