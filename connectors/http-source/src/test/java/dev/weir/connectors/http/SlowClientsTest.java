package dev.weir.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, point 7: every connection is bounded in time on every endpoint, slow bodies hold no
 * server thread, and one client address can hold only a bounded number of slow connections.
 */
class SlowClientsTest {
  private static final String KEY = "slow-key-0001";
  private final ScheduledExecutorService pacer = Executors.newScheduledThreadPool(2);
  private final List<Socket> sockets = new ArrayList<>();
  private HttpSource source;

  private void start(Map<String, Object> extra) {
    Map<String, Object> settings =
        new java.util.HashMap<>(
            Map.of("host", "127.0.0.1", "port", 0, "write_keys", List.of(KEY), "eps_threshold", 0));
    settings.putAll(extra);
    source = new HttpSource();
    source.start(new RecordingSourceContext(settings));
  }

  @AfterEach
  void stop() throws Exception {
    pacer.shutdownNow();
    for (Socket s : sockets) {
      s.close();
    }
    source.stop();
  }

  /** Opens a connection from {@code localAddress} and sends {@code head} at once. */
  private Socket open(String localAddress, String head) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(localAddress, 0));
    s.connect(new InetSocketAddress("127.0.0.1", source.port()));
    s.setSoTimeout(20_000);
    sockets.add(s);
    s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    return s;
  }

  /** Sends one byte of {@code text} every {@code everyMs}, cycling, until the socket fails. */
  private void trickle(Socket s, String text, long everyMs) {
    int[] i = {0};
    pacer.scheduleAtFixedRate(
        () -> {
          try {
            OutputStream out = s.getOutputStream();
            out.write(text.charAt(i[0]++ % text.length()));
            out.flush();
          } catch (IOException closed) {
            throw new RuntimeException(closed); // stops this task
          }
        },
        everyMs,
        everyMs,
        TimeUnit.MILLISECONDS);
  }

  private static String post(String path, int length) {
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + KEY
        + "\r\nContent-Type: application/json\r\nContent-Length: "
        + length
        + "\r\n\r\n";
  }

  private static boolean closedByServer(Socket s) {
    try {
      s.setSoTimeout(50);
      return s.getInputStream().read() < 0;
    } catch (java.net.SocketTimeoutException open) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  @Test
  void theCanonicalEndpointAnswers408ToABodyTrickledPastTheBodyTimeout() throws Exception {
    start(Map.of("idle_timeout_ms", 500, "body_timeout_ms", 1000));
    Socket s = open("127.0.0.1", post("/v1/events", 100_000));
    trickle(s, "[{\"event_type\":\"A\"},", 100);

    Raw.Answer a = Raw.read(s);

    assertThat(a.status()).as(a.head()).isEqualTo(408);
    assertThat(a.json().get("code").asInt()).isEqualTo(408);
    assertThat(a.head()).containsIgnoringCase("Connection: close");
  }

  @Test
  void headersTrickledPastTheHeaderTimeoutCloseTheConnectionOnEveryEndpoint() throws Exception {
    start(Map.of("idle_timeout_ms", 500, "header_timeout_ms", 1000));
    for (String path : List.of("/v1/events", "/2/httpapi", "/v1/batch")) {
      Socket s = open("127.0.0.1", "POST " + path + " HTTP/1.1\r\nHost: x\r\n");
      trickle(s, "X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n", 100); // never idle 500 ms
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> closedByServer(s));
    }
    assertThat(source.listener().slowClients().headerTimeouts()).isGreaterThanOrEqualTo(3);
    assertThat(
            Http.post(source.port(), "/v1/events", "[]", "Authorization", "Bearer " + KEY).code())
        .isEqualTo(200);
  }

  @Test
  void slowBodiesHoldNoServerThreadWhileTheyTrickle() throws Exception {
    start(Map.of("idle_timeout_ms", 5_000, "body_timeout_ms", 30_000, "slow_request_ms", 30_000));
    int busyBefore = source.listener().busyThreads();
    for (int i = 0; i < 20; i++) {
      Socket s =
          open("127.0.0." + (10 + i), post(i % 2 == 0 ? "/v1/events" : "/2/httpapi", 10_000));
      trickle(s, "[", 200);
    }
    // Every body has started arriving; none holds a thread while it does.
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> source.listener().busyThreads() <= busyBefore + 2);
    assertThat(
            Http.post(source.port(), "/v1/events", "[]", "Authorization", "Bearer " + KEY).code())
        .isEqualTo(200);
  }

  @Test
  void aClientAddressMayHoldOnlyItsBoundOfSlowConnectionsAndOthersAreServed() throws Exception {
    start(
        Map.of(
            "idle_timeout_ms", 5_000,
            "body_timeout_ms", 60_000,
            "slow_request_ms", 300,
            "max_slow_connections_per_client", 3));
    List<Socket> slow = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Socket s = open("127.0.0.1", post("/2/httpapi", 100_000));
      trickle(s, "{", 100);
      slow.add(s);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> slow.stream().filter(SlowClientsTest::closedByServer).count() >= 5);
    assertThat(slow.stream().filter(s -> !closedByServer(s)).count()).isEqualTo(3);
    assertThat(source.listener().slowClients().closedSlow()).isEqualTo(5);

    // While it holds its bound, a new connection from that address is closed at once ...
    Socket refused = open("127.0.0.1", "");
    await().atMost(Duration.ofSeconds(5)).until(() -> closedByServer(refused));
    assertThat(source.listener().slowClients().refused()).isEqualTo(1);

    // ... and another client is served as usual.
    Socket other =
        open(
            "127.0.0.2",
            "POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + KEY
                + "\r\nContent-Length: 2\r\n\r\n[]");
    other.setSoTimeout(10_000);
    assertThat(Raw.read(other).status()).isEqualTo(200);
  }
}
