package dev.weir.host.cli;

import dev.weir.host.Weir;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weir bench ingest} (also {@code weir loadgen}): measures HTTP ingest end to end on this
 * machine. Starts a throw-away workspace (http source → file destination, in a temp directory),
 * posts {@code --events} events in batches from {@code --clients} threads, and waits until every
 * event is in the output files. For a same-run baseline it first drives a bare Javalin endpoint
 * that parses the body with Jackson into {@code Event}s and discards them, so the difference is
 * Weir's own cost (store with fsync, delivery).
 */
@Command(
    name = "loadgen",
    mixinStandardHelpOptions = true,
    description = "Measure HTTP ingest throughput end to end (with a same-run bare-HTTP baseline).")
final class LoadgenCommand implements Callable<Integer> {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final String KEY = "loadgen-write-key";
  private static final AtomicInteger RUN = new AtomicInteger();

  @Option(
      names = "--events",
      defaultValue = "200000",
      description = "Events to send per run (${DEFAULT-VALUE}).")
  int events;

  @Option(
      names = "--batch",
      defaultValue = "100",
      description = "Events per request (${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--clients",
      defaultValue = "4",
      description = "Concurrent client threads (${DEFAULT-VALUE}).")
  int clients;

  @Option(
      names = "--warmup",
      defaultValue = "20000",
      description = "Events sent (and not measured) first.")
  int warmup;

  @Option(
      names = "--fsync-each-batch",
      defaultValue = "true",
      arity = "1",
      description = "The file destination's fsync_each_batch (${DEFAULT-VALUE}).")
  boolean fsyncEachBatch;

  @Option(
      names = "--store-fsync",
      defaultValue = "always",
      description = "The store's fsync_policy: always, interval or none (${DEFAULT-VALUE}).")
  String storeFsync;

  @Override
  public Integer call() throws Exception {
    OkHttpClient client =
        new OkHttpClient.Builder()
            .connectionPool(new ConnectionPool(clients * 2, 1, TimeUnit.MINUTES))
            .dispatcher(dispatcher())
            .build();
    String body = body(batch);
    System.out.printf(
        "loadgen: %d events, batches of %d, %d clients, %d-byte requests, cores=%d, java=%s%n",
        events,
        batch,
        clients,
        body.length(),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));

    int basePort = freePort();
    com.fasterxml.jackson.databind.ObjectMapper mapper =
        new com.fasterxml.jackson.databind.ObjectMapper();
    Javalin bare =
        Javalin.create(c -> c.showJavalinBanner = false)
            .post(
                "/v1/events",
                ctx -> {
                  // Same-run baseline: parse with Jackson into the event model, then discard.
                  List<Map<String, Object>> items =
                      mapper.readValue(
                          ctx.bodyAsBytes(),
                          new com.fasterxml.jackson.core.type.TypeReference<
                              List<Map<String, Object>>>() {});
                  int n = 0;
                  for (Map<String, Object> m : items) {
                    n += dev.weir.sdk.Event.fromMap(m) == null ? 0 : 1;
                  }
                  ctx.result("{\"accepted\":" + n + "}");
                })
            .start("127.0.0.1", basePort);
    try {
      drive(client, "http://127.0.0.1:" + basePort + "/v1/events", body, warmup);
      Result base = drive(client, "http://127.0.0.1:" + basePort + "/v1/events", body, events);
      print("baseline (Javalin + Jackson -> Event)", base, base.seconds);
    } finally {
      bare.stop();
    }

    Path dir = Files.createTempDirectory("weir-loadgen-");
    int port = freePort();
    Path ws = dir.resolve("workspace.yaml");
    Files.writeString(
        ws,
        """
        store: { dir: "%s/store", options: { fsync_policy: %s } }
        sources:
          - { id: web, type: http, settings: { host: 127.0.0.1, port: %d, write_keys: [ %s ] } }
        destinations:
          - { id: files, type: file, settings: { dir: "%s/out", fsync_each_batch: %s },
              delivery: { max_batch_events: 1000, max_batch_delay_ms: 5 } }
        routes:
          - { from: web, to: [ files ] }
        """
            .formatted(dir, storeFsync, port, KEY, dir, fsyncEachBatch));
    try (Weir weir = Weir.builder().workspace(ws).env(Map.<String, String>of()::get).start()) {
      String url = "http://127.0.0.1:" + port + "/v1/events";
      drive(client, url, body, warmup);
      awaitDelivered(weir, warmup);
      long t0 = System.nanoTime();
      Result r = drive(client, url, body, events);
      awaitDelivered(weir, (long) warmup + events);
      double e2e = (System.nanoTime() - t0) / 1e9;
      print("weir (http -> store -> engine -> file)", r, e2e);
    }
    client.dispatcher().executorService().shutdown();
    return 0;
  }

  private Dispatcher dispatcher() {
    Dispatcher d = new Dispatcher();
    d.setMaxRequests(clients * 2);
    d.setMaxRequestsPerHost(clients * 2);
    return d;
  }

  private static void print(String name, Result r, double endToEndSeconds) {
    long[] lat = r.latenciesMicros;
    Arrays.sort(lat);
    System.out.printf(
        "%-40s ingest %,10.0f events/s | end-to-end %,10.0f events/s | request p50 %6.2f ms, "
            + "p99 %6.2f ms | errors %d%n",
        name,
        r.events / r.seconds,
        r.events / endToEndSeconds,
        lat[lat.length / 2] / 1000.0,
        lat[(int) (lat.length * 0.99)] / 1000.0,
        r.errors);
  }

  private record Result(long events, double seconds, long[] latenciesMicros, int errors) {}

  private Result drive(OkHttpClient client, String url, String body, int total) throws Exception {
    int requests = Math.max(1, total / batch);
    AtomicInteger next = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    long[] lat = new long[requests];
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long t0 = System.nanoTime();
    List<Future<?>> fs = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      fs.add(
          pool.submit(
              () -> {
                for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                  long s = System.nanoTime();
                  // Unique insert ids per request (run-unique prefix), or the store would answer
                  // every repeat "duplicate".
                  String unique = body.replace("\"ins-", "\"ins-" + RUN.incrementAndGet() + "-");
                  Request req =
                      new Request.Builder()
                          .url(url)
                          .header("Authorization", "Bearer " + KEY)
                          .post(RequestBody.create(unique, JSON))
                          .build();
                  try (Response resp = client.newCall(req).execute()) {
                    resp.body().bytes();
                    if (resp.code() != 200) {
                      errors.incrementAndGet();
                    }
                  }
                  lat[i] = (System.nanoTime() - s) / 1000;
                }
                return null;
              }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    pool.shutdown();
    return new Result((long) requests * batch, secs, lat, errors.get());
  }

  private static String body(int n) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ",")
          .append("{\"event_type\":\"Viewed Item\",\"user_id\":\"user-")
          .append(i % 97)
          .append("\",\"device_id\":\"device-")
          .append(i)
          .append("\",\"insert_id\":\"ins-")
          .append(i)
          .append("\",\"event_properties\":{\"item\":\"sku-")
          .append(i)
          .append(
              "\",\"price\":12.5,\"tags\":[\"a\",\"b\"]}"
                  + ",\"platform\":\"Web\",\"os_name\":\"Chrome\"}");
    }
    return sb.append(']').toString();
  }

  /**
   * Waits until the file destination reports {@code expected} delivered events (its fsynced lines).
   */
  private static void awaitDelivered(Weir weir, long expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (weir.meters()
            .counter("weir.delivery.events", "destination", "files", "result", "delivered")
            .count()
        < expected) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("events were not all delivered within 5 minutes");
      }
      Thread.sleep(5); // a load generator polling a counter, not a test
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
