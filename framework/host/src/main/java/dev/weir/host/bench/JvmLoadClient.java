package dev.weir.host.bench;

import java.net.HttpURLConnection;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load generator {@code weir bench ingest} runs as its own JVM when {@code wrk} is not
 * installed: {@code connections} threads, each posting bodies of unique events to {@code url} back
 * to back (or, with a rate, at a steady total events/s) for {@code seconds}. Prints the same {@code
 * WRK_RESULT} line as the wrk script.
 *
 * <p>Arguments: url runId apiKey seconds connections eventsPerRequest [eventsPerSecond].
 */
public final class JvmLoadClient {
  private JvmLoadClient() {}

  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    String run = args[1];
    String key = args[2];
    long seconds = Long.parseLong(args[3]);
    int connections = Integer.parseInt(args[4]);
    int batch = Integer.parseInt(args[5]);
    double rate = args.length > 6 ? Double.parseDouble(args[6]) : 0;
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    AtomicLong requests = new AtomicLong();
    AtomicInteger errors = new AtomicInteger();
    long[][] latencies = new long[connections][];
    int[] counts = new int[connections];
    // Open-loop pacing when a rate is given: request k of a connection is due at start + k * gap.
    long gapNanos = rate > 0 ? (long) (1e9 * batch * connections / rate) : 0;
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      int conn = c;
      latencies[c] = new long[1 << 16];
      Thread t =
          new Thread(
              () -> {
                int k = 0;
                while (true) {
                  long due = start + k * gapNanos;
                  long now = System.nanoTime();
                  if (now >= end) {
                    return;
                  }
                  if (gapNanos > 0 && due > now) {
                    java.util.concurrent.locks.LockSupport.parkNanos(due - now);
                    continue;
                  }
                  byte[] body = BenchBodies.body(key, run + "-" + conn + "-" + k + "-", batch);
                  long t0 = gapNanos > 0 ? due : System.nanoTime();
                  int status = post(url, body);
                  long micros = (System.nanoTime() - t0) / 1000;
                  if (status != 200) {
                    errors.incrementAndGet();
                  }
                  if (counts[conn] == latencies[conn].length) {
                    latencies[conn] = Arrays.copyOf(latencies[conn], counts[conn] * 2);
                  }
                  latencies[conn][counts[conn]++] = micros;
                  requests.incrementAndGet();
                  k++;
                }
              });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    long duration = (System.nanoTime() - start) / 1000;
    int total = 0;
    for (int n : counts) {
      total += n;
    }
    long[] all = new long[total];
    int p = 0;
    for (int c = 0; c < connections; c++) {
      System.arraycopy(latencies[c], 0, all, p, counts[c]);
      p += counts[c];
    }
    Arrays.sort(all);
    System.out.printf(
        "WRK_RESULT requests=%d errors_status=%d p50_us=%d p99_us=%d duration_us=%d%n",
        requests.get(),
        errors.get(),
        total == 0 ? 0 : all[total / 2],
        total == 0 ? 0 : all[Math.min(total - 1, (int) (total * 0.99))],
        duration);
  }

  private static int post(URI url, byte[] body) {
    try {
      HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setRequestProperty("Content-Type", "application/json");
      c.setFixedLengthStreamingMode(body.length);
      c.getOutputStream().write(body);
      int status = c.getResponseCode();
      (status < 400 ? c.getInputStream() : c.getErrorStream()).readAllBytes();
      return status;
    } catch (java.io.IOException e) {
      return -1;
    }
  }
}
