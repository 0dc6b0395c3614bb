package dev.weir.host.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code weir bench ingest}: Weir end to end against its two same-run ceilings, every HTTP number
 * from a load generator in its own process ({@code wrk} when installed, else {@link
 * JvmLoadClient}). Runs (1) the parse-only ceiling in this process, (2) the bare-HTTP baseline
 * ({@link BareHttpServer}, own process), (3) Weir itself ({@code weir run} in its own process,
 * store at {@code fsync_policy: always}, the file destination fsyncing each batch), waiting until
 * every acknowledged event is delivered, then prints one table with the ratios.
 */
public final class IngestBench {
  static final String KEY = "bench-ingest-key";
  private static final String ADMIN_TOKEN_ENV = "WEIR_BENCH_ADMIN_TOKEN";
  private static final java.util.concurrent.atomic.AtomicInteger RUNS =
      new java.util.concurrent.atomic.AtomicInteger();

  /** The settings of one run. */
  public record Options(
      int seconds,
      int warmupSeconds,
      int connections,
      int batch,
      String generator,
      String storeFsync,
      double rate,
      Path javaHome) {}

  private final Options o;
  private final PrintStream out;
  private final String generator;
  private final Path work;

  public IngestBench(Options o, PrintStream out) throws IOException {
    this.o = o;
    this.out = out;
    this.generator = chooseGenerator(o.generator());
    this.work = Files.createTempDirectory("weir-bench-ingest-");
  }

  private static String chooseGenerator(String wanted) {
    boolean wrk = Files.isExecutable(Path.of("/usr/bin/wrk"));
    return switch (wanted) {
      case "wrk" -> {
        if (!wrk) {
          throw new IllegalArgumentException(
              "wrk is not installed (Debian: apt-get install -y wrk)");
        }
        yield "wrk";
      }
      case "jvm" -> "jvm";
      default -> wrk ? "wrk" : "jvm";
    };
  }

  /** One load-generator run against a server. */
  record Load(long requests, long errors, double seconds, double p50Ms, double p99Ms) {}

  /** Runs everything and prints the table; returns the process exit code. */
  public int run() throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    out.printf(
        "bench ingest: load generator %s (external process), %d connections, %d events/request,"
            + " %d s per run, cores=%d, java=%s, load average %s%n",
        generator.equals("wrk")
            ? "wrk " + "(Debian package, Lua script with unique ids per event)"
            : "jvm".equals(o.generator())
                ? "JvmLoadClient (chosen with --generator jvm)"
                : "JvmLoadClient (wrk not installed: apt-get install -y wrk)",
        o.connections(),
        o.batch(),
        o.seconds(),
        cores,
        System.getProperty("java.version"),
        loadAverage());
    double parse = parseOnlyCeiling(cores);
    out.printf("  1 parse-only ceiling measured: %,.0f events/s%n", parse);

    Load bare;
    int barePort = freePort();
    Process bareProc = spawn("bare", List.of(BareHttpServer.class.getName(), "" + barePort));
    try {
      awaitUp(barePort, "/health", bareProc);
      drive(barePort, o.warmupSeconds(), 0);
      bare = drive(barePort, o.seconds(), o.rate());
    } finally {
      stop(bareProc);
    }
    out.printf(
        "  2 bare HTTP measured: %,.0f events/s%n", bare.requests() * o.batch() / bare.seconds());

    int port = freePort();
    int adminPort = freePort();
    Path ws = workspace(port, adminPort);
    String token = "bench-" + System.nanoTime();
    Process weir =
        spawn(
            "weir",
            List.of("dev.weir.host.cli.WeirCli", "run", "--workspace", ws.toString()),
            Map.of(ADMIN_TOKEN_ENV, token));
    Load e2e;
    double e2eSeconds;
    long delivered;
    try {
      awaitUp(port, "/health", weir);
      Load warm = drive(port, o.warmupSeconds(), 0);
      awaitDelivered(adminPort, token, (warm.requests() - warm.errors()) * o.batch(), weir);
      long base = delivered(adminPort, token);
      long t0 = System.nanoTime();
      e2e = drive(port, o.seconds(), o.rate());
      long acked = (e2e.requests() - e2e.errors()) * o.batch();
      awaitDelivered(adminPort, token, base + acked, weir);
      e2eSeconds = (System.nanoTime() - t0) / 1e9;
      delivered = acked;
    } finally {
      stop(weir);
    }
    double bareRate = bare.requests() * o.batch() / bare.seconds();
    double weirRate = delivered / e2eSeconds;
    out.println();
    out.printf("| %-62s | %14s | %9s | %9s |%n", "what (same run)", "events/s", "p50 ms", "p99 ms");
    out.printf("|%s|%s|%s|%s|%n", "-".repeat(64), "-".repeat(16), "-".repeat(11), "-".repeat(11));
    out.printf(
        "| %-62s | %,14.0f | %9s | %9s |%n",
        "1 parse-only ceiling (Jackson -> maps, " + cores + " threads, in-process)",
        parse,
        "-",
        "-");
    row("2 bare HTTP (Javalin + Jackson, parse and discard)", bareRate, bare);
    row("3 Weir end to end (durable, delivered to file destination)", weirRate, e2e);
    out.printf("| %-62s | %14.3f | %9s | %9s |%n", "4 ratio 3/1", weirRate / parse, "", "");
    out.printf("| %-62s | %14.3f | %9s | %9s |%n", "4 ratio 3/2", weirRate / bareRate, "", "");
    out.printf(
        "errors: bare %d, weir %d (non-200 answers); weir acknowledged %,d events in %.1f s, all"
            + " delivered after %.1f s; load average after: %s; work dir %s%n",
        bare.errors(), e2e.errors(), delivered, e2e.seconds(), e2eSeconds, loadAverage(), work);
    return e2e.errors() == 0 && bare.errors() == 0 ? 0 : 1;
  }

  private void row(String name, double rate, Load l) {
    out.printf("| %-62s | %,14.0f | %9.2f | %9.2f |%n", name, rate, l.p50Ms(), l.p99Ms());
  }

  /** The same bodies parsed by Jackson into maps on {@code threads} threads for a few seconds. */
  double parseOnlyCeiling(int threads) throws InterruptedException {
    ObjectMapper mapper = new ObjectMapper();
    byte[][] bodies = new byte[64][];
    for (int i = 0; i < bodies.length; i++) {
      bodies[i] = BenchBodies.body(KEY, "p" + i + "-", o.batch());
    }
    AtomicLong events = new AtomicLong();
    long[] window = new long[2];
    List<Thread> ts = new ArrayList<>();
    long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.min(3, o.warmupSeconds()));
    long end = warmEnd + TimeUnit.SECONDS.toNanos(Math.max(2, o.seconds() / 2));
    for (int t = 0; t < threads; t++) {
      Thread th =
          new Thread(
              () -> {
                int i = 0;
                long mine = 0;
                try {
                  while (System.nanoTime() < end) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = mapper.readValue(bodies[i++ & 63], Map.class);
                    if (System.nanoTime() > warmEnd) {
                      mine += ((List<?>) m.get("events")).size();
                    }
                  }
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
                events.addAndGet(mine);
              });
      ts.add(th);
      th.start();
    }
    for (Thread th : ts) {
      th.join();
    }
    window[0] = warmEnd;
    window[1] = end;
    return events.get() / ((window[1] - window[0]) / 1e9);
  }

  private Path workspace(int port, int adminPort) throws IOException {
    Path ws = work.resolve("workspace.yaml");
    Files.writeString(
        ws,
        """
        store: { dir: "%1$s/store", partitions: 4, options: { fsync_policy: %2$s } }
        server: { host: 127.0.0.1, port: %3$d, admin_tokens: [ "${env:%4$s}" ] }
        sources:
          - { id: web, type: http, settings: { host: 127.0.0.1, port: %5$d, write_keys: [ %6$s ] } }
        destinations:
          - { id: files, type: file, settings: { dir: "%1$s/out", fsync_each_batch: true },
              delivery: { max_batch_events: 1000, max_batch_delay_ms: 5 } }
        routes:
          - { from: web, to: [ files ] }
        """
            .formatted(work, o.storeFsync(), adminPort, ADMIN_TOKEN_ENV, port, KEY));
    return ws;
  }

  // ------------------------------------------------------------------ processes

  private Process spawn(String name, List<String> mainAndArgs) throws IOException {
    return spawn(name, mainAndArgs, Map.of());
  }

  private Process spawn(String name, List<String> mainAndArgs, Map<String, String> env)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(o.javaHome().resolve("bin/java").toString());
    String opts = System.getenv("WEIR_BENCH_JAVA_OPTS");
    if (opts != null && !opts.isBlank()) {
      cmd.addAll(List.of(opts.trim().split("\\s+")));
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.addAll(mainAndArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    pb.redirectOutput(work.resolve(name + ".log").toFile());
    return pb.start();
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private void awaitUp(int port, String path, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (true) {
      if (!p.isAlive()) {
        throw new IllegalStateException("server process exited; see " + work);
      }
      try {
        HttpURLConnection c =
            (HttpURLConnection)
                URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        if (c.getResponseCode() == 200) {
          c.getInputStream().readAllBytes();
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("server did not start within 2 minutes; see " + work);
      }
      Thread.sleep(100); // polling another process's port, not a test
    }
  }

  private static final Pattern DELIVERED =
      Pattern.compile(
          "^weir_delivery_events_total\\{[^}]*destination=\"files\"[^}]*result=\"delivered\"[^}]*\\}"
              + " ([0-9.eE+]+)",
          Pattern.MULTILINE);

  private static long delivered(int adminPort, String token) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection)
            URI.create("http://127.0.0.1:" + adminPort + "/metrics").toURL().openConnection();
    c.setRequestProperty("Authorization", "Bearer " + token);
    String text = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Matcher m = DELIVERED.matcher(text);
    long n = 0;
    while (m.find()) {
      n += (long) Double.parseDouble(m.group(1));
    }
    return n;
  }

  private void awaitDelivered(int adminPort, String token, long expected, Process p)
      throws Exception {
    long last = -1;
    long lastMoved = System.nanoTime();
    for (long n = delivered(adminPort, token); n < expected; n = delivered(adminPort, token)) {
      if (n != last) {
        last = n;
        lastMoved = System.nanoTime();
      }
      if (!p.isAlive() || System.nanoTime() - lastMoved > TimeUnit.SECONDS.toNanos(30)) {
        throw new IllegalStateException(
            "delivered "
                + n
                + " of "
                + expected
                + " events and no more for 30 s (duplicates or a stalled destination?); see "
                + work);
      }
      Thread.sleep(5); // polling another process's counter, not a test
    }
  }

  // ------------------------------------------------------------------ load generators

  private static final Pattern RESULT =
      Pattern.compile(
          "WRK_RESULT requests=(\\d+) errors_status=(\\d+) p50_us=(\\d+) p99_us=(\\d+)"
              + " duration_us=(\\d+)");

  /** Drives the server at {@code port} for {@code seconds} from an external process. */
  Load drive(int port, int seconds, double rate) throws Exception {
    List<String> cmd = new ArrayList<>();
    Map<String, String> env = new HashMap<>();
    String url = "http://127.0.0.1:" + port;
    if (generator.equals("wrk") && rate <= 0) {
      Path script = work.resolve("amplitude.lua");
      if (!Files.exists(script)) {
        try (InputStream in = IngestBench.class.getResourceAsStream("amplitude.lua")) {
          Files.write(script, in.readAllBytes());
        }
      }
      int threads = Math.min(o.connections(), Runtime.getRuntime().availableProcessors());
      cmd.addAll(
          List.of(
              "/usr/bin/wrk",
              "-t" + threads,
              "-c" + o.connections(),
              "-d" + seconds + "s",
              "--timeout",
              "30s",
              "-s",
              script.toString(),
              url));
      env.put("WEIR_BENCH_KEY", KEY);
      env.put("WEIR_BENCH_EVENTS", "" + o.batch());
      env.put("WEIR_BENCH_RUN", "r" + RUNS.incrementAndGet());
    } else {
      cmd.add(o.javaHome().resolve("bin/java").toString());
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(JvmLoadClient.class.getName());
      cmd.addAll(
          List.of(
              url + "/2/httpapi",
              "r" + RUNS.incrementAndGet(),
              KEY,
              "" + seconds,
              "" + o.connections(),
              "" + o.batch(),
              "" + rate));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    Matcher m = RESULT.matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("load generator printed no result:\n" + text);
    }
    long requests = Long.parseLong(m.group(1));
    long errors = Long.parseLong(m.group(2));
    // wrk counts socket errors and timeouts apart from status errors
    Matcher se =
        Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)")
            .matcher(text);
    if (se.find()) {
      for (int g = 1; g <= 4; g++) {
        errors += Long.parseLong(se.group(g));
      }
    }
    return new Load(
        requests,
        errors,
        Long.parseLong(m.group(5)) / 1e6,
        Long.parseLong(m.group(3)) / 1000.0,
        Long.parseLong(m.group(4)) / 1000.0);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
