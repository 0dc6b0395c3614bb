package dev.weir.bench.ingest;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A slow-client attack on a running Weir, in its own process: opens N connections that trickle
 * their headers or bodies (one byte every {@code --every-ms}, never idle long enough for the idle
 * timeout) to {@code /v1/events} and {@code /2/httpapi}, holds them for {@code --hold-s}, then
 * leaves; meanwhile a good client posts one small batch every 500 ms. Samples the server's threads
 * and RSS from {@code /proc/<pid>/status} every second and prints a summary: before, peak during,
 * after leaving, slow connections the server still holds over time, and good-request latencies.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.weir.bench.ingest.SlowClientsLoad --port
 * P --pid PID --key K [--clients 300] [--addresses distinct|single] [--hold-s 120] [--after-s 30]
 * [--every-ms 10000]}
 */
public final class SlowClientsLoad {
  private SlowClientsLoad() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(arg(args, "--port", null));
    long pid = Long.parseLong(arg(args, "--pid", null));
    String key = arg(args, "--key", "weir-quickstart-key");
    int clients = Integer.parseInt(arg(args, "--clients", "300"));
    boolean distinct = arg(args, "--addresses", "distinct").equals("distinct");
    int holdS = Integer.parseInt(arg(args, "--hold-s", "120"));
    int afterS = Integer.parseInt(arg(args, "--after-s", "30"));
    long everyMs = Long.parseLong(arg(args, "--every-ms", "10000"));

    ScheduledExecutorService pace = Executors.newScheduledThreadPool(4);
    List<Socket> slow = new CopyOnWriteArrayList<>();
    List<Long> goodMs = Collections.synchronizedList(new ArrayList<>());
    List<String> goodFailures = Collections.synchronizedList(new ArrayList<>());

    long[] before = sample(pid);
    System.out.printf("before: threads=%d rss_mb=%.1f%n", before[0], before[1] / 1024.0);
    boolean[] attacking = {true};
    pace.scheduleWithFixedDelay(
        () -> good(port, key, goodMs, goodFailures, attacking[0]), 0, 500, TimeUnit.MILLISECONDS);

    for (int i = 0; i < clients; i++) {
      String local = distinct ? "127.0." + (1 + i / 250) + "." + (1 + i % 250) : "127.0.0.1";
      boolean body = i % 2 == 0;
      String path = i % 4 < 2 ? "/v1/events" : "/2/httpapi";
      try {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(local, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        String head =
            body
                ? "POST "
                    + path
                    + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + key
                    + "\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n"
                : "POST " + path + " HTTP/1.1\r\nHost: x\r\n";
        s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        slow.add(s);
        byte[] next = (body ? "[" : "X").getBytes(StandardCharsets.US_ASCII);
        pace.scheduleAtFixedRate(
            () -> {
              try {
                OutputStream out = s.getOutputStream();
                out.write(next);
                out.flush();
              } catch (IOException closed) {
                throw new RuntimeException(closed);
              }
            },
            everyMs,
            everyMs,
            TimeUnit.MILLISECONDS);
      } catch (IOException refused) {
        // counted below as not held
      }
    }
    long peakThreads = 0;
    long peakRss = 0;
    for (int t = 0; t < holdS; t++) {
      Thread.sleep(1000);
      long[] s = sample(pid);
      peakThreads = Math.max(peakThreads, s[0]);
      peakRss = Math.max(peakRss, s[1]);
      if (t % 10 == 9) {
        System.out.printf(
            "t=%3ds threads=%d rss_mb=%.1f slow_open=%d%n",
            t + 1, s[0], s[1] / 1024.0, stillOpen(slow));
      }
    }
    attacking[0] = false;
    for (Socket s : slow) {
      s.close();
    }
    List<Long> during = new ArrayList<>(goodMs);
    long[] after = null;
    for (int t = 0; t < afterS; t++) {
      Thread.sleep(1000);
      after = sample(pid);
    }
    pace.shutdownNow();
    Collections.sort(during);
    System.out.printf("peak during: threads=%d rss_mb=%.1f%n", peakThreads, peakRss / 1024.0);
    System.out.printf("after %ds: threads=%d rss_mb=%.1f%n", afterS, after[0], after[1] / 1024.0);
    System.out.printf(
        "good requests during the attack: n=%d p50=%dms p99=%dms max=%dms failures=%d %s%n",
        during.size(),
        pct(during, 50),
        pct(during, 99),
        during.isEmpty() ? -1 : during.get(during.size() - 1),
        goodFailures.size(),
        goodFailures.isEmpty() ? "" : goodFailures.subList(0, Math.min(3, goodFailures.size())));
  }

  /** One small canonical batch from another client address (127.0.0.254); records its latency. */
  private static void good(
      int port, String key, List<Long> ms, List<String> failures, boolean attacking) {
    if (!attacking) {
      return;
    }
    String body = "[{\"event_type\":\"good\",\"user_id\":\"good-user\"}]";
    String request =
        "POST /v1/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer "
            + key
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length()
            + "\r\n\r\n"
            + body;
    long t0 = System.nanoTime();
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress("127.0.0.254", 0));
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(30_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      byte[] head = s.getInputStream().readNBytes(12);
      ms.add((System.nanoTime() - t0) / 1_000_000);
      String status = new String(head, StandardCharsets.US_ASCII);
      if (!status.startsWith("HTTP/1.1 200")) {
        failures.add(status.trim());
      }
    } catch (Exception e) {
      failures.add(e.getClass().getSimpleName());
    }
  }

  /** Connections the server neither closed nor answered (an answer is a 408 before closing). */
  private static long stillOpen(List<Socket> sockets) {
    long n = 0;
    for (Socket s : sockets) {
      if (s.isClosed()) {
        continue;
      }
      try {
        s.setSoTimeout(1);
        if (s.getInputStream().read() >= 0) {
          s.close(); // answered: the server gave up on it
        } else {
          s.close();
        }
      } catch (java.net.SocketTimeoutException open) {
        n++;
      } catch (IOException closed) {
        // reset by the server
      }
    }
    return n;
  }

  private static long pct(List<Long> sorted, int p) {
    return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
  }

  /** {threads, VmRSS kB} of {@code pid}. */
  private static long[] sample(long pid) throws IOException {
    long threads = 0;
    long rss = 0;
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("Threads:")) {
        threads = Long.parseLong(line.substring(8).trim());
      } else if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.substring(6).replace("kB", "").trim());
      }
    }
    return new long[] {threads, rss};
  }

  private static String arg(String[] args, String name, String dflt) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    if (dflt == null) {
      throw new IllegalArgumentException("missing " + name);
    }
    return dflt;
  }
}
