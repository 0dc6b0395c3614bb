package dev.weir.host.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchBodiesTest {
  @Test
  void everyEventOfABodyHasItsOwnInsertIdUserAndDevice() throws Exception {
    JsonNode root = new ObjectMapper().readTree(BenchBodies.body("k", "r1-2-3-", 100));

    assertThat(root.get("api_key").asText()).isEqualTo("k");
    Set<String> ids = new HashSet<>();
    Set<String> users = new HashSet<>();
    for (JsonNode e : root.get("events")) {
      ids.add(e.get("insert_id").asText());
      users.add(e.get("user_id").asText() + "|" + e.get("device_id").asText());
    }
    assertThat(ids).hasSize(100);
    assertThat(users).hasSize(100);
  }

  @Test
  void theWrkScriptSendsTheSameEventTemplateAndARunUniquePrefix() throws Exception {
    String lua;
    try (InputStream in = IngestBench.class.getResourceAsStream("amplitude.lua")) {
      lua = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String body = new String(BenchBodies.body("k", "x", 1), StandardCharsets.UTF_8);

    assertThat(lua).contains("WEIR_BENCH_RUN").contains("/2/httpapi");
    for (String piece :
        new String[] {
          "\"price\":12.5,\"tags\":[\"a\",\"b\"],\"count\":",
          "\"platform\":\"Web\",\"os_name\":\"Chrome\",\"app_version\":\"2.1.0\"",
          "\"time\":1700000000000,\"event_properties\":{\"item\":\"sku-"
        }) {
      assertThat(body).contains(piece);
      assertThat(lua.replace("\\\"", "\"")).contains(piece);
    }
  }
}
