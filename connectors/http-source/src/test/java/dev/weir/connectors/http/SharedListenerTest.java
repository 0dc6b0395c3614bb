package dev.weir.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.realtime.RealtimeStore;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sources naming the same host:port share one listener; the key a request presents selects the
 * source.
 */
class SharedListenerTest {
  @TempDir Path dir;
  private RealtimeStore store;
  private int port;
  private final List<HttpSource> started = new ArrayList<>();

  @BeforeEach
  void openStore() throws Exception {
    store = StoreSourceContext.openStore(dir.resolve("store"));
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
  }

  @AfterEach
  void stopAll() throws Exception {
    for (HttpSource s : started) {
      s.stop();
    }
    store.close();
  }

  private StoreSourceContext context(String id, String key, Map<String, Object> extra) {
    Map<String, Object> settings =
        new java.util.HashMap<>(
            Map.of("host", "127.0.0.1", "port", port, "write_keys", List.of(key)));
    settings.putAll(extra);
    return new StoreSourceContext(id, settings, store);
  }

  private HttpSource start(StoreSourceContext ctx) {
    HttpSource s = new HttpSource();
    s.start(ctx);
    started.add(s);
    return s;
  }

  private static String amplitude(String key, String insertId) {
    return "{\"api_key\":\""
        + key
        + "\",\"events\":[{\"event_type\":\"A\",\"user_id\":\"user-1\",\"insert_id\":\""
        + insertId
        + "\"}]}";
  }

  @Test
  void theKeyOfARequestSelectsTheSourceWhichScopesDedup() throws Exception {
    StoreSourceContext web = context("web", "web-key-000001", Map.of());
    StoreSourceContext ios = context("ios", "ios-key-000001", Map.of());
    HttpSource a = start(web);
    HttpSource b = start(ios);
    assertThat(b.port()).isEqualTo(a.port()).isEqualTo(port);

    assertThat(Http.post(port, "/2/httpapi", amplitude("web-key-000001", "same-id")).code())
        .isEqualTo(200);
    assertThat(Http.post(port, "/2/httpapi", amplitude("ios-key-000001", "same-id")).code())
        .isEqualTo(200);
    assertThat(
            Http.post(
                    port,
                    "/v1/track",
                    "{\"writeKey\":\"ios-key-000001\",\"userId\":\"user-1\"," + "\"event\":\"S\"}")
                .code())
        .isEqualTo(200);

    assertThat(web.stored).extracting(e -> e.sourceId()).containsExactly("web");
    assertThat(ios.stored).extracting(e -> e.eventType()).containsExactly("A", "S");
    assertThat(web.duplicates.get() + ios.duplicates.get()).isZero();
  }

  @Test
  void aKeyListedByTwoSourcesOnOneListenerIsAStartUpErrorThatNamesNoKey() throws Exception {
    start(context("web", "shared-key-0001", Map.of()));
    assertThatThrownBy(() -> start(context("ios", "shared-key-0001", Map.of())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'ios'")
        .hasMessageContaining("'web'")
        .hasMessageNotContaining("shared-key-0001");
    assertThat(Http.post(port, "/2/httpapi", amplitude("shared-key-0001", "x-1")).code())
        .isEqualTo(200);
  }

  @Test
  void sourcesOnOneAddressMustAgreeOnListenerSettings() throws Exception {
    start(context("web", "web-key-000001", Map.of()));
    assertThatThrownBy(
            () -> start(context("ios", "ios-key-000001", Map.of("idle_timeout_ms", 1234))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("different listener settings");
  }

  @Test
  void theListenerStaysUpUntilItsLastSourceStops() throws Exception {
    HttpSource a = start(context("web", "web-key-000001", Map.of()));
    HttpSource b = start(context("ios", "ios-key-000001", Map.of()));
    a.stop();
    started.remove(a);
    Http.Answer gone = Http.post(port, "/2/httpapi", amplitude("web-key-000001", "y-1"));
    assertThat(gone.body().get("error").asText()).isEqualTo("Invalid API key: web-key-000001");
    assertThat(Http.post(port, "/2/httpapi", amplitude("ios-key-000001", "y-2")).code())
        .isEqualTo(200);
    b.stop();
    started.remove(b);
    assertThatThrownBy(() -> Http.post(port, "/health", "")).isInstanceOf(ConnectException.class);
  }
}
