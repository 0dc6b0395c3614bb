package dev.weir.connectors.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.ingest.AmplitudeFormat;
import dev.weir.ingest.ParsedEvent;
import dev.weir.ingest.SegmentFormat;
import dev.weir.realtime.RealtimeStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Load generator for the Amplitude ({@code /2/httpapi}) and Segment ({@code /v1/batch}) APIs: an
 * http source in front of a real RealtimeStore in a temp dir, driven by several connections with
 * realistic batches (distinct insert ids, 10 000 devices). Reports events/s and p50/p99 request
 * latency, then the same-run baseline: the same bodies parsed with Jackson into the event model and
 * discarded (the ceiling for this machine).
 *
 * <p>Usage: {@code IngestLoad <amplitude|segment> <connections> <requests per connection> <events
 * per request> [store|discard]}; {@code discard} puts an in-memory list where the store would be,
 * to isolate the HTTP cost.
 */
public final class IngestLoad {
  private static final String KEY = "load-test-key-1";

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "amplitude";
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int requests = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    int perRequest = args.length > 3 ? Integer.parseInt(args[3]) : 100;
    boolean discard = args.length > 4 && args[4].equals("discard");
    boolean amplitude = mode.equals("amplitude");
    String path = amplitude ? "/2/httpapi" : "/v1/batch";

    List<byte[]> bodies = new ArrayList<>();
    long seq = 0;
    for (int c = 0; c < connections * requests; c++) {
      StringBuilder b =
          new StringBuilder(
              amplitude
                  ? "{\"api_key\":\"" + KEY + "\",\"events\":["
                  : "{\"writeKey\":\"" + KEY + "\",\"batch\":[");
      for (int i = 0; i < perRequest; i++, seq++) {
        String device = "device-" + (seq % 10_000);
        b.append(i == 0 ? "" : ",");
        if (amplitude) {
          b.append("{\"event_type\":\"Song Played\",\"device_id\":\"")
              .append(device)
              .append("\",\"user_id\":\"user-")
              .append(seq % 5_000)
              .append("\",\"insert_id\":\"ins-")
              .append(seq)
              .append("\",\"time\":")
              .append(1_700_000_000_000L + seq)
              .append(",\"platform\":\"iOS\",\"os_name\":\"ios\",\"app_version\":")
              .append("\"5.2.1\",\"event_properties\":{\"song_id\":")
              .append(seq % 977)
              .append(
                  ",\"genre\":\"jazz\",\"duration_s\":183.5},\"user_properties\":{\"plan\":\"premium\"}}");
        } else {
          b.append("{\"type\":\"track\",\"event\":\"Song Played\",\"anonymousId\":\"")
              .append(device)
              .append("\",\"userId\":\"user-")
              .append(seq % 5_000)
              .append("\",\"messageId\":\"msg-")
              .append(seq)
              .append("\",\"timestamp\":\"2026-11-22T05:00:00.000Z\",\"properties\":{\"song_id\":")
              .append(seq % 977)
              .append(",\"genre\":\"jazz\",\"duration_s\":183.5},\"context\":{\"os\":{\"name\":")
              .append("\"iOS\"},\"app\":{\"version\":\"5.2.1\"}}}");
        }
      }
      bodies.add(b.append("]}").toString().getBytes(StandardCharsets.UTF_8));
    }
    long totalEvents = (long) bodies.size() * perRequest;

    ExecutorService pool = Executors.newFixedThreadPool(connections);
    double baseBefore = baseline(bodies, amplitude, connections, requests, pool);
    Path dir = Files.createTempDirectory("weir-ingest-load");
    RealtimeStore store = StoreSourceContext.openStore(dir.resolve("store"));
    Map<String, Object> settings =
        Map.of(
            "host",
            "127.0.0.1",
            "port",
            0,
            "write_keys",
            List.of(KEY),
            "eps_threshold",
            0,
            "batch_eps_threshold",
            0);
    StoreSourceContext context = new StoreSourceContext("load", settings, store);
    RecordingSourceContext discarding = new RecordingSourceContext(settings);
    HttpSource source = new HttpSource();
    source.start(discard ? discarding : context);
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequestsPerHost(connections);
    OkHttpClient client =
        new OkHttpClient.Builder()
            .dispatcher(dispatcher)
            .connectionPool(new ConnectionPool(connections, 1, TimeUnit.MINUTES))
            .build();
    String url = "http://127.0.0.1:" + source.port() + path;
    long[] latencies = new long[bodies.size()];
    AtomicLong errors = new AtomicLong();
    long start = System.nanoTime();
    List<Future<?>> parts = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      int from = c * requests;
      parts.add(
          pool.submit(
              () -> {
                for (int r = from; r < from + requests; r++) {
                  long t0 = System.nanoTime();
                  Request req =
                      new Request.Builder()
                          .url(url)
                          .post(
                              RequestBody.create(bodies.get(r), MediaType.get("application/json")))
                          .build();
                  try (Response resp = client.newCall(req).execute()) {
                    resp.body().bytes();
                    if (resp.code() != 200) {
                      errors.incrementAndGet();
                    }
                  } catch (Exception e) {
                    errors.incrementAndGet();
                  }
                  latencies[r] = System.nanoTime() - t0;
                }
              }));
    }
    for (Future<?> f : parts) {
      f.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double baseAfter = baseline(bodies, amplitude, connections, requests, pool);
    pool.shutdown();
    source.stop();
    store.close();
    Arrays.sort(latencies);
    System.out.printf(
        "mode=%s connections=%d requests=%d events/request=%d events=%d%n",
        mode, connections, bodies.size(), perRequest, totalEvents);
    System.out.printf(
        (discard ? "http, store replaced by a list: " : "http+store: ")
            + "%.0f events/s (%.2f s), p50 %.1f ms, p99 %.1f ms, errors %d, stored %d%n",
        totalEvents / seconds,
        seconds,
        latencies[latencies.length / 2] / 1e6,
        latencies[(int) (latencies.length * 0.99)] / 1e6,
        errors.get(),
        discard ? discarding.submitted.size() : context.stored.size());
    System.out.printf(
        "baseline (Jackson parse into the event model, discard): %.0f events/s before the HTTP run,"
            + " %.0f events/s after it%n",
        totalEvents / baseBefore, totalEvents / baseAfter);
  }

  /**
   * Seconds to parse every body into events on {@code connections} threads, discarding the events.
   */
  private static double baseline(
      List<byte[]> bodies, boolean amplitude, int connections, int requests, ExecutorService pool)
      throws Exception {
    long baseStart = System.nanoTime();
    AtomicLong sink = new AtomicLong();
    List<Future<?>> parts = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      int from = c * requests;
      parts.add(
          pool.submit(
              () -> {
                for (int r = from; r < from + requests; r++) {
                  try {
                    JsonNode root = Bodies.JSON.readTree(bodies.get(r));
                    List<ParsedEvent> parsed = new ArrayList<>();
                    if (amplitude) {
                      for (JsonNode e : root.get("events")) {
                        parsed.add(
                            AmplitudeFormat.parse(e, 5, System.currentTimeMillis(), "127.0.0.1"));
                      }
                    } else {
                      parsed = SegmentFormat.parseBatch(root, System.currentTimeMillis());
                    }
                    sink.addAndGet(parsed.size());
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }
              }));
    }
    for (Future<?> f : parts) {
      f.get();
    }
    double seconds = (System.nanoTime() - baseStart) / 1e9;
    if (sink.get() == 0) {
      throw new IllegalStateException("nothing parsed");
    }
    return seconds;
  }
}
