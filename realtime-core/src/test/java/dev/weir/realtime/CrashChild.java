package dev.weir.realtime;

import dev.weir.sdk.Event;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The store in a child JVM for {@link CrashRecoveryIT}: opens the store, prints READY, then appends
 * from several threads until killed, printing {@code ACK <insert id>} for each event only after
 * {@code append} returned. Args: store dir, round number, threads, mode ({@code window}: all upload
 * times inside the dedup window; {@code rolling}: upload time advances so blocks are evicted and
 * merged into chunks while the kills happen).
 */
public final class CrashChild {
  private CrashChild() {}

  static Event eventFor(String insertId, long uploadTime) {
    String user = "user" + Math.floorMod(insertId.hashCode(), 50);
    return Event.builder()
        .eventType("tick")
        .userId(user)
        .insertId(insertId)
        .sourceId("src")
        .uploadTime(uploadTime)
        .time(uploadTime)
        .eventProperties(java.util.Map.of("n", insertId.length()))
        .build();
  }

  static StoreOptions options(Path dir) {
    return StoreOptions.builder(dir)
        .partitions(4)
        .fsyncPolicy(StoreOptions.FsyncPolicy.ALWAYS)
        .cleanupInterval(java.time.Duration.ZERO)
        .build();
  }

  static StoreOptions rollingOptions(Path dir) {
    return options(dir).toBuilder()
        .blockInterval(java.time.Duration.ofSeconds(1))
        .blocksPerChunk(2)
        .build();
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int round = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    boolean rolling = args.length > 3 && args[3].equals("rolling");
    PrintStream out =
        new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, "UTF-8");
    RealtimeStore store = RealtimeStore.open(rolling ? rollingOptions(dir) : options(dir));
    out.println("READY " + store.recoveryReport().eventsReplayed());
    out.flush();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread w =
          new Thread(
              () -> {
                Random rnd = new Random(round * 1000L + thread);
                long counter = 0;
                try {
                  while (true) {
                    int n = 1 + rnd.nextInt(20);
                    List<Event> batch = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                      // sometimes re-send an id acknowledged earlier in this run: it must come back
                      // as a duplicate
                      // (not in rolling mode: there the original's block may have left the window,
                      // so a re-send is new data)
                      long c =
                          !rolling && rnd.nextInt(10) == 0 && counter > 0
                              ? rnd.nextInt((int) Math.min(counter, Integer.MAX_VALUE))
                              : counter++;
                      long upload =
                          rolling
                              ? TestEvents.T0 + round * 3_600_000L + counter * 20L
                              : TestEvents.T0 + rnd.nextInt(9 * 60_000);
                      batch.add(eventFor("r" + round + "-t" + thread + "-" + c, upload));
                    }
                    List<AppendResult> results = store.append(batch);
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < n; i++) {
                      if (results.get(i).status() != AppendResult.Status.REJECTED) {
                        sb.append("ACK ").append(batch.get(i).insertId()).append('\n');
                      }
                    }
                    synchronized (out) {
                      out.print(sb);
                      out.flush();
                    }
                  }
                } catch (Exception e) {
                  synchronized (out) {
                    out.println("ERROR " + e);
                    out.flush();
                  }
                }
              });
      w.start();
      workers.add(w);
    }
    for (Thread w : workers) {
      w.join();
    }
  }
}
