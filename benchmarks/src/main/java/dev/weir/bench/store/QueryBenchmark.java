package dev.weir.bench.store;

import dev.weir.realtime.Filter;
import dev.weir.realtime.FunnelQuery;
import dev.weir.realtime.RealtimeStore;
import dev.weir.realtime.RetentionQuery;
import dev.weir.realtime.RetentionResult;
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
import java.util.Map;
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
  @Param({"1000000", "10000000"})
  public long events;

  private RealtimeStore store;
  private Connection duck;
  private SegmentationQuery segmentation;
  private SegmentationQuery uniques;
  private FunnelQuery funnel;
  private SegmentationQuery groupBy;
  private RetentionQuery retention;
  private static final long WINDOW = 3_600_000L;
  private static final int PERIODS = 6;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    Path dir =
        Path.of(System.getProperty("weir.bench.dir", "/tmp"), "weir-query-bench-v2-" + events);
    StoreOptions opts =
        StoreOptions.builder(dir.resolve("store"))
            .fsyncPolicy(StoreOptions.FsyncPolicy.NONE)
            .cleanupInterval(java.time.Duration.ZERO)
            .queryCacheBytes(Long.getLong("weir.bench.cacheBytes", 1L << 30))
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
    groupBy =
        new SegmentationQuery(
            "view",
            List.of(),
            StoreData.T0,
            StoreData.T0 + StoreData.DAY,
            SegmentationQuery.Bucket.HOUR,
            SegmentationQuery.Metric.COUNT,
            "platform");
    retention =
        new RetentionQuery(
            new FunnelQuery.Step("view", List.of()),
            new FunnelQuery.Step("purchase", List.of()),
            StoreData.T0,
            StoreData.T0 + StoreData.DAY / 2,
            SegmentationQuery.Bucket.HOUR,
            PERIODS,
            List.of());
    check("segmentation", storeSegmentation().series().get(""), duckSegmentation());
    check("uniques", storeUniques().series().get("").values().iterator().next(), duckUniques());
    check("funnel", storeFunnel().usersPerStep(), duckFunnel());
    check("group-by", storeGroupBy().series(), duckGroupBy());
    check("retention", retentionRows(storeRetention()), duckRetention());
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

  /** Fails the trial unless the store's answer is identical to DuckDB's. */
  private static void check(String query, Object store, Object duck) {
    if (!store.equals(duck)) {
      throw new IllegalStateException(
          query + ": store and DuckDB differ\n store=" + store + "\n duckdb=" + duck);
    }
    System.err.println("[check] " + query + " identical: " + abbreviate(store));
  }

  private static String abbreviate(Object o) {
    String s = String.valueOf(o);
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  private static void build(Path dir, StoreOptions opts, Path parquet) throws Exception {
    Files.createDirectories(dir);
    long n =
        Long.parseLong(dir.getFileName().toString().substring("weir-query-bench-v2-".length()));
    Path csv = dir.resolve("events.csv");
    long t0 = System.nanoTime();
    try (RealtimeStore s = RealtimeStore.open(opts);
        BufferedWriter w = Files.newBufferedWriter(csv)) {
      w.write("event_type,user_id,time,plan,price,platform\n");
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
                + ","
                + e.platform()
                + "\n");
        if (batch.size() == 5000) {
          s.append(batch);
          batch.clear();
        }
      }
      s.append(batch);
      long m0 = System.nanoTime();
      int merged = 0;
      while (s.mergeChunksNow() > 0) {
        merged++;
      }
      System.err.println(
          "[build] merged in "
              + (System.nanoTime() - m0) / 1_000_000
              + " ms ("
              + merged
              + " rounds): "
              + s.stats());
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
              + "'user_id':'VARCHAR','time':'BIGINT','plan':'VARCHAR','price':'INTEGER',"
              + "'platform':'VARCHAR'})) TO '"
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

  @Benchmark
  public dev.weir.realtime.SegmentationResult storeGroupBy() {
    return store.segmentation(groupBy);
  }

  /** Views per hour and platform. */
  @Benchmark
  public Map<String, SortedMap<Long, Long>> duckGroupBy() throws Exception {
    Map<String, SortedMap<Long, Long>> out = new TreeMap<>();
    try (Statement st = duck.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT platform, (time // 3600000) * 3600000 AS b, count(*) FROM ev"
                    + " WHERE event_type = 'view' AND time >= "
                    + StoreData.T0
                    + " AND time < "
                    + (StoreData.T0 + StoreData.DAY)
                    + " GROUP BY 1, 2")) {
      while (rs.next()) {
        out.computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
            .put(rs.getLong(2), rs.getLong(3));
      }
    }
    return out;
  }

  @Benchmark
  public RetentionResult storeRetention() {
    return store.retention(retention);
  }

  /** Rows of (cohort start, users, returned per period) in cohort order. */
  static List<List<Long>> retentionRows(RetentionResult r) {
    List<List<Long>> out = new ArrayList<>();
    for (RetentionResult.Cohort c : r.cohorts()) {
      List<Long> row = new ArrayList<>(List.of(c.start(), c.users()));
      row.addAll(c.returned());
      out.add(row);
    }
    return out;
  }

  /**
   * The same retention: users by the hour of their first view in the range, and how many of them
   * purchased in each of the following six hours.
   */
  @Benchmark
  public List<List<Long>> duckRetention() throws Exception {
    long w = 3_600_000L;
    String fast =
        "WITH s AS (SELECT user_id, (min(time) // "
            + w
            + ") * "
            + w
            + " AS c FROM ev WHERE event_type = 'view' AND time >= "
            + StoreData.T0
            + " AND time < "
            + (StoreData.T0 + StoreData.DAY / 2)
            + " GROUP BY 1), "
            + "r AS (SELECT DISTINCT s.user_id, s.c, ((e.time // "
            + w
            + ") * "
            + w
            + " - s.c) // "
            + w
            + " AS k FROM s JOIN ev e ON e.user_id = s.user_id AND e.event_type = 'purchase' "
            + "AND e.time >= s.c + "
            + w
            + " AND e.time < s.c + "
            + (PERIODS + 1) * w
            + "), "
            + "sizes AS (SELECT c, count(*) AS users FROM s GROUP BY c), "
            + "rets AS (SELECT c, k, count(*) AS n FROM r GROUP BY c, k) "
            + "SELECT sizes.c, sizes.users, rets.k, rets.n FROM sizes LEFT JOIN rets USING (c) "
            + "ORDER BY sizes.c, rets.k";
    Map<Long, List<Long>> rows = new TreeMap<>();
    try (Statement st = duck.createStatement();
        ResultSet rs = st.executeQuery(fast)) {
      while (rs.next()) {
        long c = rs.getLong(1);
        List<Long> row =
            rows.computeIfAbsent(
                c,
                x -> {
                  List<Long> l = new ArrayList<>();
                  l.add(x);
                  for (int k = 0; k <= PERIODS; k++) {
                    l.add(0L);
                  }
                  return l;
                });
        row.set(1, rs.getLong(2));
        long k = rs.getLong(3);
        if (!rs.wasNull()) {
          row.set(1 + (int) k, rs.getLong(4));
        }
      }
    }
    return new ArrayList<>(rows.values());
  }
}
