package dev.weir.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.sdk.http.HttpClient;
import dev.weir.sdk.http.HttpRequest;
import dev.weir.sdk.http.HttpResponse;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class OkHttpConnectorHttpTest {
  @StartStop final MockWebServer server = new MockWebServer();

  private final HttpClient http = RuntimeContext.builder("c").build().http();

  @Test
  void postSendsMethodHeadersAndBodyAndReadsTheWholeResponse() throws Exception {
    server.enqueue(
        new MockResponse.Builder().code(202).addHeader("X-Request-Id", "r-1").body("ok").build());
    HttpResponse r =
        http.execute(
            HttpRequest.builder(server.url("/in").toString())
                .method("POST")
                .header("Authorization", "Bearer t")
                .body("{\"a\":1}", "application/json")
                .build());
    assertThat(r.code()).isEqualTo(202);
    assertThat(r.isSuccessful()).isTrue();
    assertThat(r.header("x-request-id")).isEqualTo("r-1");
    assertThat(r.bodyString()).isEqualTo("ok");
    RecordedRequest req = server.takeRequest();
    assertThat(req.getMethod()).isEqualTo("POST");
    assertThat(req.getHeaders().get("Authorization")).isEqualTo("Bearer t");
    assertThat(req.getHeaders().get("Content-Type")).startsWith("application/json");
    assertThat(req.getBody().utf8()).isEqualTo("{\"a\":1}");
  }

  @Test
  void anErrorStatusIsAResponseNotAnException() throws Exception {
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "3").build());
    HttpResponse r = http.execute(HttpRequest.get(server.url("/").toString()));
    assertThat(r.code()).isEqualTo(429);
    assertThat(r.isSuccessful()).isFalse();
    assertThat(r.header("Retry-After")).isEqualTo("3");
    assertThat(r.body()).isEmpty();
  }

  @Test
  void noResponseIsAnIoException() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/";
    assertThatThrownBy(() -> http.execute(HttpRequest.get(url))).isInstanceOf(IOException.class);
  }

  @Test
  void clientsWithOtherTimeoutsShareThePoolOfTheOneTheyCameFrom() {
    OkHttpClient base = new OkHttpClient();
    RuntimeContext ctx = RuntimeContext.builder("c").http(base).build();
    OkHttpClient custom =
        ((OkHttpConnectorHttp)
                ctx.http().withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)))
            .client();
    assertThat(custom.connectionPool()).isSameAs(base.connectionPool());
    assertThat(custom.readTimeoutMillis()).isEqualTo(2000);
    assertThat(custom.writeTimeoutMillis()).isEqualTo(2000);
    assertThat(OkHttpConnectorHttp.okHttp(ctx)).isSameAs(base);
  }
}
