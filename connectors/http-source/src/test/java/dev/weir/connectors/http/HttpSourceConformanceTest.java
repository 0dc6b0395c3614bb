package dev.weir.connectors.http;

import dev.weir.sdk.SourceConnector;
import dev.weir.testkit.ConnectorHarness;
import dev.weir.testkit.SourceConformance;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;

/**
 * The http source runs the test kit's source conformance suite. Its backend is its clients: each
 * record is a canonical event POSTed to {@code /v1/events} by a client that, like the SDKs, retries
 * until the source answers that it stored it (the suite adds records before the source starts and
 * while it is stopped, and makes the store unavailable for a while).
 */
class HttpSourceConformanceTest extends SourceConformance {
  private static final String KEY = "conformance-write-key-1";
  private static final MediaType JSON = MediaType.get("application/json");

  private final OkHttpClient client = new OkHttpClient();
  private final ExecutorService clients = Executors.newSingleThreadExecutor();
  private int port;
  private int records;

  @AfterEach
  void stopClients() throws InterruptedException {
    clients.shutdownNow();
    clients.awaitTermination(10, TimeUnit.SECONDS);
  }

  @Override
  protected SourceConnector newSource() {
    return new HttpSource();
  }

  @Override
  protected Map<String, Object> settings(ConnectorHarness harness) {
    if (port == 0) {
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return Map.of("host", "127.0.0.1", "port", port, "write_keys", List.of(KEY));
  }

  @Override
  protected void addRecords(ConnectorHarness harness, int n) {
    settings(harness);
    StringBuilder body = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      int k = records++;
      body.append(i == 0 ? "" : ",")
          .append("{\"event_type\":\"Page Viewed\",\"user_id\":\"user-1\",\"insert_id\":\"h-")
          .append(k)
          .append("\"}");
    }
    String json = body.append(']').toString();
    clients.submit(() -> sendUntilStored(json));
  }

  /** A client's retry loop: connection refused and 503 are tried again, as the SDKs do. */
  private void sendUntilStored(String json) {
    Request req =
        new Request.Builder()
            .url("http://127.0.0.1:" + port + "/v1/events")
            .header("Authorization", "Bearer " + KEY)
            .post(RequestBody.create(json, JSON))
            .build();
    while (!Thread.currentThread().isInterrupted()) {
      try (Response r = client.newCall(req).execute()) {
        if (r.code() == 200) {
          return;
        }
        if (r.code() != 503) {
          throw new IllegalStateException("the source refused the records: " + r.body().string());
        }
      } catch (IOException notListeningYet) {
        // the source is not started yet, or restarting
      }
      try {
        Thread.sleep(50); // the client's back-off between attempts
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
