package dev.weir.host.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.runtime.OkHttpConnectorHttp;
import dev.weir.sdk.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostConnectorContextTest {
  @TempDir Path store;

  @Test
  void stateIsDurableAcrossContextsAndWrittenByAtomicRename() {
    try (HostServices services = new HostServices(store)) {
      StateStore s =
          new HostConnectorContext("kafka-in", "kafka", Map.of(), services, null).state();
      s.put("offset/0", "42");
      s.put("token", "abc");
      s.delete("token");
    }
    Path file = store.resolve("state/kafka-in/state.json");
    assertThat(file).exists();
    assertThat(store.resolve("state/kafka-in/state.json.tmp")).doesNotExist();
    try (HostServices services = new HostServices(store)) {
      StateStore again =
          new HostConnectorContext("kafka-in", "kafka", Map.of(), services, null).state();
      assertThat(again.get("offset/0")).contains("42");
      assertThat(again.get("token")).isEmpty();
      // Each connection has its own state.
      assertThat(
              new HostConnectorContext("other", "kafka", Map.of(), services, null)
                  .state()
                  .get("offset/0"))
          .isEmpty();
    }
  }

  @Test
  void metricsAreTaggedWithConnectionAndTypeInTheSharedRegistry() {
    try (HostServices services = new HostServices(store)) {
      HostConnectorContext ctx =
          new HostConnectorContext("crm", "webhook", Map.of(), services, null);
      ctx.metrics().counter("requests", "status", "200").increment(3);
      ctx.metrics().timer("latency").record(Duration.ofMillis(5));
      assertThat(
              services
                  .meters()
                  .get("weir.connector.requests")
                  .tags("connection", "crm", "type", "webhook", "status", "200")
                  .counter()
                  .count())
          .isEqualTo(3.0);
      assertThat(services.meters().get("weir.connector.latency").timer().count()).isEqualTo(1);
      assertThat(services.meters().scrape()).contains("weir_connector_requests_total");
    }
  }

  @Test
  void httpClientsShareOneConnectionPool() {
    try (HostServices services = new HostServices(store)) {
      HostConnectorContext a = new HostConnectorContext("a", "webhook", Map.of(), services, null);
      HostConnectorContext b = new HostConnectorContext("b", "webhook", Map.of(), services, null);
      var custom =
          ((OkHttpConnectorHttp)
                  a.http().withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)))
              .client();
      var other = OkHttpConnectorHttp.okHttp(b);
      assertThat(custom.connectionPool()).isSameAs(other.connectionPool());
      assertThat(custom.readTimeoutMillis()).isEqualTo(2000);
      assertThat(custom.dispatcher()).isSameAs(other.dispatcher());
    }
  }

  @Test
  void destinationContextCannotSubmitEvents() {
    try (HostServices services = new HostServices(store)) {
      HostConnectorContext ctx =
          new HostConnectorContext("d", "file", Map.of("dir", "x"), services, null);
      assertThat(ctx.settings().requireString("dir")).isEqualTo("x");
      assertThatThrownBy(() -> ctx.submit(List.of()))
          .isInstanceOf(UnsupportedOperationException.class);
    }
    assertThat(Files.exists(store.resolve("state/d"))).as("state is opened lazily").isFalse();
  }
}
