package dev.weir.bench.cluster;

import dev.weir.cluster.ClusterSettings;
import dev.weir.cluster.ClusterSettings.Role;
import dev.weir.cluster.ClusterTopics;
import dev.weir.cluster.EventsProducer;
import dev.weir.cluster.StoreNode;
import dev.weir.realtime.RealtimeStore;
import dev.weir.realtime.StoreOptions;
import dev.weir.sdk.Event;
import dev.weir.testsupport.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Store nodes' throughput on one machine: the same events, already in the events topic, stored by
 * one store node and then by three (each with its own store directory), in one run on one
 * in-process broker; then the time a partition move takes with a window of data. Two cores cannot
 * show scaling, so the ratio is the cost of the protocol (three consumers, three sets of
 * transactions) rather than a speed-up.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.weir.bench.cluster.StoreNodesBench \
 *     [events=300000] [partitions=12] [window_minutes=15] [rounds=2]
 * </pre>
 */
public final class StoreNodesBench {
  private static final long T0 = 1_780_000_000_000L;

  private StoreNodesBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new java.util.HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      a.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    int events = Integer.parseInt(a.getOrDefault("events", "300000"));
    int partitions = Integer.parseInt(a.getOrDefault("partitions", "12"));
    long windowMs =
        Duration.ofMinutes(Long.parseLong(a.getOrDefault("window_minutes", "15"))).toMillis();
    int rounds = Integer.parseInt(a.getOrDefault("rounds", "2"));
    System.out.printf(
        "# events=%d partitions=%d window_minutes=%d rounds=%d (upload times spread over the window)%n",
        events, partitions, windowMs / 60_000, rounds);
    System.out.println(
        "| round | nodes | events/s stored | seconds | of which group formation |"
            + " events/s once every partition was owned |");
    System.out.println("|---|---|---|---|---|---|");
    for (int round = 1; round <= rounds; round++) {
      for (int nodes : new int[] {1, 3}) {
        run(round, nodes, events, partitions, windowMs);
      }
    }
  }

  private static void run(int round, int nodes, int events, int partitions, long windowMs)
      throws Exception {
    Path dir = Files.createTempDirectory("weir-cluster-bench");
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      ClusterSettings ingest = settings(kafka, "ingest", partitions);
      try (var admin = kafka.admin()) {
        ClusterTopics.init(admin, ingest);
      }
      produce(ingest, events, windowMs);
      List<RealtimeStore> stores = new ArrayList<>();
      List<StoreNode> started = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int i = 0; i < nodes; i++) {
        RealtimeStore s =
            RealtimeStore.open(
                StoreOptions.builder(dir.resolve("node-" + i))
                    .partitions(partitions)
                    .fsyncPolicy(StoreOptions.FsyncPolicy.NONE)
                    .independentPartitions(true)
                    .build());
        stores.add(s);
        started.add(
            StoreNode.start(settings(kafka, "node-" + i, partitions), s, Duration.ofSeconds(10)));
      }
      waitFor(() -> owned(started) == partitions);
      long formed = System.nanoTime();
      long storedAtFormation = stored(started, stores);
      waitFor(() -> stored(started, stores) >= events);
      long done = System.nanoTime();
      double secs = (done - t0) / 1e9;
      System.out.printf(
          "| %d | %d | %,.0f | %.2f | %.2f | %,.0f |%n",
          round,
          nodes,
          events / secs,
          secs,
          (formed - t0) / 1e9,
          (events - storedAtFormation) / ((done - formed) / 1e9));
      if (nodes > 1) {
        int moving = started.get(0).ownedPartitions().size();
        long m0 = System.nanoTime();
        started.get(0).leaveGroup();
        List<StoreNode> rest = started.subList(1, started.size());
        waitFor(() -> owned(rest) == partitions);
        System.out.printf(
            "#   move: %d partitions (about %,d events of a %d-minute window) taken over by the"
                + " other nodes in %.2f s (rebuilt from the stored topic: empty directories)%n",
            moving,
            (long) events * moving / partitions,
            windowMs / 60_000,
            (System.nanoTime() - m0) / 1e9);
      }
      for (StoreNode n : started) {
        n.close();
      }
      for (RealtimeStore s : stores) {
        s.close();
      }
    }
  }

  private static ClusterSettings settings(EmbeddedKafka kafka, String node, int partitions) {
    return ClusterSettings.builder()
        .bootstrapServers(kafka.bootstrapServers())
        .nodeId(node)
        .roles(Set.of(node.equals("ingest") ? Role.INGEST : Role.STORE))
        .partitions(partitions)
        .replicationFactor(1)
        .minInsyncReplicas(1)
        .ackTimeout(Duration.ofSeconds(30))
        .build();
  }

  private static void produce(ClusterSettings s, int events, long windowMs) throws Exception {
    Random rnd = new Random(7);
    try (EventsProducer p = EventsProducer.open(s)) {
      List<Event> batch = new ArrayList<>();
      for (int i = 0; i < events; i++) {
        long upload = T0 + (long) i * windowMs / events;
        batch.add(
            Event.builder()
                .eventType("view")
                .userId("u" + rnd.nextInt(100_000))
                .insertId("i" + i)
                .sourceId("bench")
                .uploadTime(upload)
                .time(upload - rnd.nextInt(60_000))
                .eventProperties(Map.of("plan", rnd.nextBoolean() ? "pro" : "free", "n", i))
                .build());
        if (batch.size() == 2000) {
          p.send(batch);
          batch.clear();
        }
      }
      p.send(batch);
    }
  }

  private static int owned(List<StoreNode> nodes) {
    return nodes.stream().mapToInt(n -> n.ownedPartitions().size()).sum();
  }

  private static long stored(List<StoreNode> nodes, List<RealtimeStore> stores) {
    long sum = 0;
    for (int i = 0; i < nodes.size(); i++) {
      RealtimeStore s = stores.get(i);
      for (int p : nodes.get(i).ownedPartitions()) {
        sum += s.partitionStats(p).stored();
      }
    }
    return sum;
  }

  private static void waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not reached within 10 minutes");
      }
      Thread.sleep(20); // a benchmark's poll, not a test's synchronisation
    }
  }
}
