package dev.weir.bench.store;

import dev.weir.realtime.Filter;
import dev.weir.realtime.FunnelQuery;
import dev.weir.realtime.RealtimeStore;
import dev.weir.realtime.SegmentationQuery;
import dev.weir.realtime.StoreOptions;
import dev.weir.sdk.Event;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Query latency on one day of {@code events} events: RealtimeStore (memory blocks + columnar
 * chunks, 4 partitions in parallel) against DuckDB running the same query over the same rows in a
 * Parquet file, same run. The data set is built once into {@code
 * ${weir.bench.dir:-/tmp}/weir-query-bench-<events>} and reused by later trials; the setup checks
 * that both engines return the same answers and prints them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx6g"})
public class QueryBenchmark {
  @Param({"1000000"})
  public long events;

  private RealtimeStore store;
  private Connection duck;
  private SegmentationQuery segmentation;
  private SegmentationQuery uniques;
  private FunnelQuery funnel;
  private static final long WINDOW = 3_600_000L;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    Path dir = Path.of(System.getProperty("weir.bench.dir", "/tmp"), "weir-query-bench-" + events);
    StoreOptions opts =
        StoreOptions.builder(dir.resolve("store"))
            .fsyncPolicy(StoreOptions.FsyncPolicy.NONE)
            .cleanupInterval(java.time.Duration.ZERO)
            .build();
    Path parquet = dir.resolve("events.parquet");
    if (!Files.exists(dir.resolve("READY"))) {
      build(dir, opts, parquet);
    }
    store = RealtimeStore.open(opts);
    duck = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement st = duck.createStatement()) {
      st.execute("CREATE VIEW ev AS SELECT * FROM read_parquet('" + parquet + "')");
    }
    segmentation =
        new SegmentationQuery(
            "purchase",
            List.of(Filter.eq("event_properties.plan", "pro")),
            StoreData.T0,
            StoreData.T0 + StoreData.DAY,
            SegmentationQuery.Bucket.HOUR,
            SegmentationQuery.Metric.COUNT,
            null);
    uniques =
        new SegmentationQuery(
            "view",
            List.of(Filter.gt("event_properties.price", 50)),
            StoreData.T0,
            StoreData.T0 + StoreData.DAY,
            SegmentationQuery.Bucket.DAY,
            SegmentationQuery.Metric.UNIQUES,
            null);
    funnel =
        new FunnelQuery(
            List.of(
                new FunnelQuery.Step("view", List.of()),
                new FunnelQuery.Step("cart", List.of()),
                new FunnelQuery.Step("purchase", List.of())),
            StoreData.T0,
            StoreData.T0 + StoreData.DAY / 2,
            WINDOW);
    System.err.println(
        "[check] segmentation store="
            + storeSegmentation().series().get("")
            + "\n[check] segmentation duckdb="
            + duckSegmentation());
    System.err.println(
        "[check] uniques store=" + storeUniques().series().get("") + " duckdb=" + duckUniques());
    System.err.println(
        "[check] funnel store=" + storeFunnel().usersPerStep() + " duckdb=" + duckFunnel());
    System.err.println("[check] chunks=" + store.chunks().size() + " stats=" + store.stats());
  }

  private static void build(Path dir, StoreOptions opts, Path parquet) throws Exception {
    Files.createDirectories(dir);
    long n = Long.parseLong(dir.getFileName().toString().substring("weir-query-bench-".length()));
    Path csv = dir.resolve("events.csv");
    long t0 = System.nanoTime();
    try (RealtimeStore s = RealtimeStore.open(opts);
        BufferedWriter w = Files.newBufferedWriter(csv)) {
      w.write("event_type,user_id,time,plan,price\n");
      Random rnd = new Random(1);
      List<Event> batch = new ArrayList<>(5000);
      for (long i = 0; i < n; i++) {
        Event e = StoreData.event(i, n, rnd);
        batch.add(e);
        w.write(
            e.eventType()
                + ","
                + e.userId()
                + ","
                + e.time()
                + ","
                + e.eventProperties().get("plan")
                + ","
                + e.eventProperties().get("price")
                + "\n");
        if (batch.size() == 5000) {
          s.append(batch);
          batch.clear();
        }
      }
      s.append(batch);
    }
    System.err.println(
        "[build] "
            + n
            + " events appended (with CSV) in "
            + (System.nanoTime() - t0) / 1_000_000
            + " ms");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute(
          "COPY (SELECT * FROM read_csv('"
              + csv
              + "', header=true, columns={'event_type':'VARCHAR',"
              + "'user_id':'VARCHAR','time':'BIGINT','plan':'VARCHAR','price':'INTEGER'})) TO '"
              + parquet
              + "' (FORMAT PARQUET)");
    }
    Files.delete(csv);
    Files.writeString(dir.resolve("READY"), "ok");
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    store.close();
    duck.close();
  }

  @Benchmark
  public dev.weir.realtime.SegmentationResult storeSegmentation() {
    return store.segmentation(segmentation);
  }

  @Benchmark
  public SortedMap<Long, Long> duckSegmentation() throws Exception {
    SortedMap<Long, Long> out = new TreeMap<>();
    try (Statement st = duck.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT (time // 3600000) * 3600000 AS b, count(*) FROM ev WHERE event_type = 'purchase' AND plan = 'pro' "
                    + "AND time >= "
                    + StoreData.T0
                    + " AND time < "
                    + (StoreData.T0 + StoreData.DAY)
                    + " GROUP BY b")) {
      while (rs.next()) {
        out.put(rs.getLong(1), rs.getLong(2));
      }
    }
    return out;
  }

  @Benchmark
  public dev.weir.realtime.SegmentationResult storeUniques() {
    return store.segmentation(uniques);
  }

  @Benchmark
  public long duckUniques() throws Exception {
    try (Statement st = duck.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(DISTINCT user_id) FROM ev WHERE event_type = 'view' AND price > 50 AND time >= "
                    + StoreData.T0
                    + " AND time < "
                    + (StoreData.T0 + StoreData.DAY))) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Benchmark
  public dev.weir.realtime.FunnelResult storeFunnel() {
    return store.funnel(funnel);
  }

  /**
   * The same ordered funnel: a view in range, then a cart, then a purchase, all within the window
   * of the view.
   */
  @Benchmark
  public List<Long> duckFunnel() throws Exception {
    long from = StoreData.T0;
    long to = StoreData.T0 + StoreData.DAY / 2;
    String sql =
        "WITH v AS (SELECT user_id, time FROM ev WHERE event_type = 'view' AND time >= "
            + from
            + " AND time < "
            + to
            + "), "
            + "c AS (SELECT v.user_id, v.time AS vt, min(e.time) AS ct FROM v JOIN ev e ON e.user_id = v.user_id "
            + "AND e.event_type = 'cart' AND e.time >= v.time AND e.time <= v.time + "
            + WINDOW
            + " GROUP BY 1, 2), "
            + "p AS (SELECT DISTINCT c.user_id FROM c JOIN ev e ON e.user_id = c.user_id AND e.event_type = 'purchase' "
            + "AND e.time >= c.ct AND e.time <= c.vt + "
            + WINDOW
            + ") "
            + "SELECT (SELECT count(DISTINCT user_id) FROM v), (SELECT count(DISTINCT user_id) FROM c), "
            + "(SELECT count(*) FROM p)";
    try (Statement st = duck.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3));
    }
  }
}
