package dev.weir.bench.exports;

import dev.weir.connectors.pgwarehouse.PostgresWarehouseDestination;
import dev.weir.exports.ExportScheduler;
import dev.weir.realtime.ChunkInfo;
import dev.weir.realtime.RealtimeStore;
import dev.weir.realtime.StoreOptions;
import dev.weir.sdk.ConnectorContext;
import dev.weir.sdk.ConnectorMetrics;
import dev.weir.sdk.Event;
import dev.weir.sdk.Settings;
import dev.weir.sdk.StateStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Load generator: rows/s loaded into PostgreSQL from sealed chunks (ExportScheduler +
 * postgres-warehouse: read the chunk, map, COPY into a staging table, delete-by-chunk, insert),
 * against COPY of the same rows from a CSV file into an identical table (same primary key and
 * indexes) by psql {@code \copy} (the ceiling), and by pgjdbc CopyManager in this JVM. Same server,
 * same run, rounds interleaved.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.weir.bench.exports.WarehouseLoadBench [events=200000] [rounds=3] [psql=/usr/bin/psql]
 * [block_minutes=1]}.
 */
public final class WarehouseLoadBench {
  private WarehouseLoadBench() {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    String psql = args.length > 2 ? args[2] : "/usr/bin/psql";
    int blockMinutes =
        args.length > 3 ? Integer.parseInt(args[3]) : 1; // 4 blocks a chunk: ~1000 rows per minute
    Path work = Files.createTempDirectory("weir-warehouse-bench");
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        RealtimeStore store =
            RealtimeStore.open(
                StoreOptions.builder(work.resolve("store"))
                    .partitions(4)
                    .blockInterval(Duration.ofMinutes(blockMinutes))
                    .cachedBlocksPerPartition(1)
                    .blocksPerChunk(4)
                    .fsyncPolicy(StoreOptions.FsyncPolicy.NONE)
                    .cleanupInterval(Duration.ZERO)
                    .build())) {
      fill(store, events);
      long rows = store.chunks().stream().mapToLong(ChunkInfo::rows).sum();
      System.out.printf(
          "store: %d events appended, %d in %d sealed chunks (%d rows a chunk on average)%n",
          events, rows, store.chunks().size(), rows / Math.max(1, store.chunks().size()));
      double[] weir = new double[rounds];
      double[] viaPsql = new double[rounds];
      double[] viaJdbc = new double[rounds];
      double[] readOnly = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        String schema = "weir" + r;
        PostgresWarehouseDestination dest = new PostgresWarehouseDestination();
        dest.start(
            context(Map.of("jdbc_url", pg.getJdbcUrl("postgres", "postgres"), "schema", schema)));
        long t0 = System.nanoTime();
        try (ExportScheduler s =
            ExportScheduler.builder(store, work.resolve("state" + r))
                .destination("warehouse", dest)
                .build()) {
          s.runOnce();
        }
        weir[r] = rows / ((System.nanoTime() - t0) / 1e9);
        dest.stop();

        Path csv = work.resolve("rows" + r + ".csv");
        try (Connection c = pg.getPostgresDatabase().getConnection();
            Statement st = c.createStatement();
            Writer w = Files.newBufferedWriter(csv)) {
          c.unwrap(PGConnection.class)
              .getCopyAPI()
              .copyOut("COPY " + schema + ".events TO STDOUT (FORMAT csv)", w);
          st.execute(
              "CREATE SCHEMA psql"
                  + r
                  + "; CREATE TABLE psql"
                  + r
                  + ".events (LIKE "
                  + schema
                  + ".events INCLUDING ALL)");
          st.execute(
              "CREATE SCHEMA jdbc"
                  + r
                  + "; CREATE TABLE jdbc"
                  + r
                  + ".events (LIKE "
                  + schema
                  + ".events INCLUDING ALL)");
        }
        long t1 = System.nanoTime();
        Process p =
            new ProcessBuilder(
                    psql,
                    "-h",
                    "localhost",
                    "-p",
                    Integer.toString(pg.getPort()),
                    "-U",
                    "postgres",
                    "-d",
                    "postgres",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-c",
                    "\\copy psql" + r + ".events FROM '" + csv + "' WITH (FORMAT csv)")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0 || !out.contains("COPY " + rows)) {
          throw new IllegalStateException("psql failed: " + out);
        }
        viaPsql[r] = rows / ((System.nanoTime() - t1) / 1e9);

        try (Connection c = pg.getPostgresDatabase().getConnection();
            var in = Files.newBufferedReader(csv)) {
          long t2 = System.nanoTime();
          long n =
              c.unwrap(PGConnection.class)
                  .getCopyAPI()
                  .copyIn("COPY jdbc" + r + ".events FROM STDIN (FORMAT csv)", in);
          viaJdbc[r] = n / ((System.nanoTime() - t2) / 1e9);
        }
        long t3 = System.nanoTime();
        long seen = 0;
        for (ChunkInfo ci :
            store.chunks()) { // the Java-side share: read + decode the chunk, map every event
          for (var it = store.readChunk(ci.id()); it.hasNext(); ) {
            seen += it.next().toMap().size();
          }
        }
        readOnly[r] = rows / ((System.nanoTime() - t3) / 1e9);
        if (seen == 0) {
          throw new IllegalStateException("no fields read");
        }
        System.out.printf("round %d: read+map only %.0f rows/s; ", r + 1, readOnly[r]);
        System.out.printf(
            "round %d: weir %.0f rows/s, psql \\copy %.0f rows/s, CopyManager %.0f rows/s%n",
            r + 1, weir[r], viaPsql[r], viaJdbc[r]);
      }
      System.out.printf(
          "median of %d rounds, %d rows: weir %.0f rows/s | psql \\copy %.0f rows/s | CopyManager %.0f"
              + " rows/s | weir/psql = %.2f | chunk read+map alone %.0f rows/s%n",
          rounds,
          rows,
          median(weir),
          median(viaPsql),
          median(viaJdbc),
          median(weir) / median(viaPsql),
          median(readOnly));
    }
  }

  /** Events over many minutes, 4 event types, 6 properties of mixed types. */
  static void fill(RealtimeStore store, int n) throws Exception {
    long t0 = 1_700_000_000_000L;
    Random rnd = new Random(42);
    String[] types = {"view", "add_to_cart", "checkout", "purchase"};
    List<Event> batch = new ArrayList<>(1000);
    for (int i = 0; i < n; i++) {
      long t = t0 + i * 60L; // 1000 events a minute
      Map<String, Object> props = new LinkedHashMap<>();
      props.put("price", rnd.nextInt(10_000) / 100.0);
      props.put("quantity", rnd.nextInt(5) + 1);
      props.put("sku", "sku-" + rnd.nextInt(5000));
      props.put("plan", rnd.nextBoolean() ? "pro" : "free");
      props.put("gift", rnd.nextInt(10) == 0);
      props.put("tags", List.of("t" + rnd.nextInt(10)));
      batch.add(
          Event.builder()
              .eventType(types[rnd.nextInt(types.length)])
              .userId("user" + rnd.nextInt(20_000))
              .deviceId("dev" + rnd.nextInt(40_000))
              .insertId("id" + i)
              .sourceId("web")
              .time(t)
              .uploadTime(t + 5)
              .platform(rnd.nextBoolean() ? "ios" : "web")
              .country("DE")
              .eventProperties(props)
              .build());
      if (batch.size() == 1000) {
        store.append(batch);
        batch.clear();
      }
    }
    store.append(batch);
  }

  static double median(double[] xs) {
    double[] c = xs.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }

  static ConnectorContext context(Map<String, ?> settings) {
    Settings s = Settings.of(settings);
    Logger log = LoggerFactory.getLogger("bench");
    return new ConnectorContext() {
      @Override
      public String connectionId() {
        return "bench";
      }

      @Override
      public Settings settings() {
        return s;
      }

      @Override
      public Logger logger() {
        return log;
      }

      @Override
      public ConnectorMetrics metrics() {
        return new ConnectorMetrics() {
          @Override
          public Counter counter(String name, String... tags) {
            return amount -> {};
          }

          @Override
          public Timer timer(String name, String... tags) {
            return d -> {};
          }
        };
      }

      @Override
      public StateStore state() {
        return new StateStore() {
          @Override
          public Optional<String> get(String key) {
            return Optional.empty();
          }

          @Override
          public void put(String key, String value) {}

          @Override
          public void delete(String key) {}
        };
      }
    };
  }
}
