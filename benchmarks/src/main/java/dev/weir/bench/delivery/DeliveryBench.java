package dev.weir.bench.delivery;

import com.sun.net.httpserver.HttpServer;
import dev.weir.delivery.DeliveryEngine;
import dev.weir.delivery.DestinationConfig;
import dev.weir.delivery.InMemoryDeliveryLog;
import dev.weir.delivery.bench.HttpBatchDestination;
import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import dev.weir.sdk.StreamingDestination;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * Load generator for the delivery engine (to be mounted as {@code weir bench delivery}). Against a
 * local HTTP server (JDK HttpServer answering 200), it measures: (1) throughput with batches of
 * 500, engine vs. the same requests sent directly with OkHttp from a loop on as many threads as the
 * engine has workers; (2) upload-to-ack latency at a steady rate, engine vs. a direct loop that
 * batches the same way (count or delay) and sends on as many threads. Arguments are {@code
 * key=value}: events (200000), workers (2), batch (500), rate (10000), seconds (20), delay_ms (50),
 * partitions (4).
 */
public final class DeliveryBench {
  private DeliveryBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new HashMap<>();
    for (String a : args) {
      String[] kv = a.split("=", 2);
      o.put(kv[0].replace("--", ""), kv.length > 1 ? kv[1] : "true");
    }
    int events = Integer.parseInt(o.getOrDefault("events", "200000"));
    int workers = Integer.parseInt(o.getOrDefault("workers", "2"));
    int batch = Integer.parseInt(o.getOrDefault("batch", "500"));
    int rate = Integer.parseInt(o.getOrDefault("rate", "10000"));
    int seconds = Integer.parseInt(o.getOrDefault("seconds", "20"));
    int delayMs = Integer.parseInt(o.getOrDefault("delay_ms", "50"));
    int partitions = Integer.parseInt(o.getOrDefault("partitions", "4"));

    ExecutorService serverPool = Executors.newFixedThreadPool(4);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    byte[] ok = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
    server.createContext(
        "/batch",
        ex -> {
          try (InputStream in = ex.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
          }
          ex.sendResponseHeaders(200, ok.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(ok);
          }
        });
    server.setExecutor(serverPool);
    server.start();
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/batch";
    OkHttpClient client =
        new OkHttpClient.Builder()
            .connectionPool(new ConnectionPool(16, 5, TimeUnit.MINUTES))
            .dispatcher(new Dispatcher())
            .readTimeout(Duration.ofSeconds(30))
            .build();
    HttpBatchDestination http = new HttpBatchDestination(client, url, null);
    System.out.printf(
        "delivery bench: events=%d workers=%d batch=%d rate=%d/s seconds=%d delay_ms=%d partitions=%d"
            + " cpus=%d jdk=%s%n",
        events,
        workers,
        batch,
        rate,
        seconds,
        delayMs,
        partitions,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    try {
      // warm up both paths once
      baselineThroughput(http, Math.min(events, 50_000), workers, batch);
      engineThroughput(http, Math.min(events, 50_000), workers, batch, partitions);
      double base = baselineThroughput(http, events, workers, batch);
      double eng = engineThroughput(http, events, workers, batch, partitions);
      System.out.printf(
          "throughput  baseline(okhttp loop x%d)=%.0f events/s  engine=%.0f events/s  (%.0f%%)%n",
          workers, base, eng, 100 * eng / base);
      long[] bl = baselineLatency(http, rate, seconds, workers, batch, delayMs);
      long[] el = engineLatency(http, rate, seconds, workers, batch, delayMs, partitions);
      System.out.printf(
          "latency@%d/s baseline(okhttp loop x" + workers + ") p50=%d ms p99=%d ms n=%d%n",
          rate,
          pct(bl, 50),
          pct(bl, 99),
          bl.length);
      System.out.printf(
          "latency@%d/s engine                p50=%d ms p99=%d ms n=%d%n",
          rate, pct(el, 50), pct(el, 99), el.length);
    } finally {
      server.stop(0);
      serverPool.shutdownNow();
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  private static Event event(long i, long uploadTime) {
    return Event.builder()
        .eventType(i % 3 == 0 ? "purchase" : "page_view")
        .userId("user-" + (i % 5000))
        .deviceId("device-" + (i % 7000))
        .insertId("ins-" + i)
        .time(uploadTime)
        .uploadTime(uploadTime)
        .platform("iOS")
        .country("Germany")
        .eventProperties(Map.of("path", "/p/" + (i % 100), "n", i))
        .build();
  }

  private static double baselineThroughput(
      StreamingDestination d, int events, int threads, int batch) throws Exception {
    List<Event> template = new ArrayList<>(batch);
    long now = System.currentTimeMillis();
    for (int i = 0; i < batch; i++) {
      template.add(event(i, now));
    }
    int requests = events / batch;
    AtomicLong next = new AtomicLong();
    long start = System.nanoTime();
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread th =
          new Thread(
              () -> {
                try {
                  while (next.getAndIncrement() < requests) {
                    List<Outcome> out = d.deliver(template);
                    if (out.get(0).status() != Outcome.Status.DELIVERED) {
                      throw new IllegalStateException(out.get(0).toString());
                    }
                  }
                } catch (Exception e) {
                  throw new RuntimeException(e);
                }
              });
      th.start();
      ts.add(th);
    }
    for (Thread th : ts) {
      th.join();
    }
    return requests * (double) batch / ((System.nanoTime() - start) / 1e9);
  }

  private static DeliveryEngine engine(
      InMemoryDeliveryLog log, StreamingDestination d, int workers, int batch, int delayMs)
      throws Exception {
    Path dir = Files.createTempDirectory("weir-delivery-bench");
    DeliveryEngine engine = DeliveryEngine.builder().log(log).stateDir(dir).build();
    engine.addDestination(
        DestinationConfig.builder("bench")
            .workers(workers)
            .maxBatchEvents(batch)
            .maxBatchBytes(16L << 20)
            .maxBatchDelay(Duration.ofMillis(delayMs))
            .maxInFlightBatches(workers * 2)
            .build(),
        d);
    return engine;
  }

  private static double engineThroughput(
      StreamingDestination d, int events, int workers, int batch, int partitions) throws Exception {
    InMemoryDeliveryLog log = new InMemoryDeliveryLog(partitions);
    long now = System.currentTimeMillis();
    for (int i = 0; i < events; i++) {
      log.append(event(i, now));
    }
    DeliveryEngine engine = engine(log, d, workers, batch, 50);
    long start = System.nanoTime();
    engine.start();
    while (engine.status("bench").delivered() < events) {
      LockSupport.parkNanos(1_000_000);
    }
    double eps = events / ((System.nanoTime() - start) / 1e9);
    engine.stop();
    return eps;
  }

  /** Records upload-time-to-ack latency of every delivered event. */
  private static final class Timing extends StreamingDestination {
    final StreamingDestination inner;
    final long[] latencies;
    final AtomicLong count = new AtomicLong();

    Timing(StreamingDestination inner, int capacity) {
      this.inner = inner;
      this.latencies = new long[capacity];
    }

    @Override
    public ConnectorSpec spec() {
      return inner.spec();
    }

    @Override
    public List<Outcome> deliver(List<Event> batch) throws Exception {
      List<Outcome> out = inner.deliver(batch);
      long now = System.currentTimeMillis();
      for (int i = 0; i < out.size(); i++) {
        if (out.get(i).status() == Outcome.Status.DELIVERED) {
          long n = count.getAndIncrement();
          if (n < latencies.length) {
            latencies[(int) n] = now - batch.get(i).uploadTime();
          }
        }
      }
      return out;
    }

    long[] result() {
      return Arrays.copyOf(latencies, (int) Math.min(count.get(), latencies.length));
    }
  }

  /**
   * Produces {@code rate} events/s for {@code seconds}, in 10 ms ticks, handing each tick to {@code
   * sink}.
   */
  private static void produce(
      int rate, int seconds, java.util.function.Consumer<List<Event>> sink) {
    long tickNanos = 10_000_000L;
    int perTick = Math.max(1, rate / 100);
    long ticks = seconds * 100L;
    long start = System.nanoTime();
    long seq = 0;
    for (long t = 0; t < ticks; t++) {
      long due = start + t * tickNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      long now = System.currentTimeMillis();
      List<Event> tick = new ArrayList<>(perTick);
      for (int i = 0; i < perTick; i++) {
        tick.add(event(seq++, now));
      }
      sink.accept(tick);
    }
  }

  private static long[] baselineLatency(
      StreamingDestination d, int rate, int seconds, int workers, int batch, int delayMs)
      throws Exception {
    Timing timing = new Timing(d, rate * (seconds + 5));
    LinkedBlockingQueue<Event> queue = new LinkedBlockingQueue<>();
    ExecutorService senders = Executors.newFixedThreadPool(workers);
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread batcher =
        new Thread(
            () -> {
              List<Event> pending = new ArrayList<>();
              long first = 0;
              while (!done.get() || !queue.isEmpty() || !pending.isEmpty()) {
                Event e;
                try {
                  e = queue.poll(1, TimeUnit.MILLISECONDS);
                } catch (InterruptedException ie) {
                  return;
                }
                if (e != null) {
                  if (pending.isEmpty()) {
                    first = System.currentTimeMillis();
                  }
                  pending.add(e);
                }
                if (pending.size() >= batch
                    || (!pending.isEmpty()
                        && (System.currentTimeMillis() - first >= delayMs
                            || done.get() && queue.isEmpty()))) {
                  List<Event> send = pending;
                  senders.execute(
                      () -> {
                        try {
                          timing.deliver(send);
                        } catch (Exception ex) {
                          throw new RuntimeException(ex);
                        }
                      });
                  pending = new ArrayList<>();
                }
              }
            });
    batcher.start();
    produce(rate, seconds, queue::addAll);
    done.set(true);
    batcher.join();
    senders.shutdown();
    senders.awaitTermination(60, TimeUnit.SECONDS);
    return timing.result();
  }

  private static long[] engineLatency(
      StreamingDestination d,
      int rate,
      int seconds,
      int workers,
      int batch,
      int delayMs,
      int partitions)
      throws Exception {
    Timing timing = new Timing(d, rate * (seconds + 5));
    InMemoryDeliveryLog log = new InMemoryDeliveryLog(partitions);
    DeliveryEngine engine = engine(log, timing, workers, batch, delayMs);
    engine.start();
    long[] appended = new long[1];
    produce(
        rate,
        seconds,
        tick -> {
          tick.forEach(log::append);
          appended[0] += tick.size();
          engine.signal();
        });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (engine.status("bench").delivered() < appended[0] && System.nanoTime() < deadline) {
      LockSupport.parkNanos(1_000_000);
    }
    engine.stop();
    return timing.result();
  }

  private static long pct(long[] values, double p) {
    if (values.length == 0) {
      return -1;
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1)];
  }
}
