package dev.weir.bench.store;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.SplittableRandom;

/**
 * Heap bytes per dedup key held, measured with MemoryMXBean after GC: the store's key set (64-bit
 * hashes in one long[], reached by reflection since it is package-private) against two same-run
 * baselines, a {@code HashSet<Long>} of the same hashes and a {@code HashSet<String>} of the insert
 * ids themselves. Run: {@code java -Xmx4g -cp benchmarks/target/benchmarks.jar
 * dev.weir.bench.store.KeyMemoryHarness 1000000}.
 */
public final class KeyMemoryHarness {
  private KeyMemoryHarness() {}

  private static long usedAfterGc(MemoryMXBean mx) throws InterruptedException {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100); // let the collector finish; this is a measurement harness, not a test
      best = Math.min(best, mx.getHeapMemoryUsage().getUsed());
    }
    return best;
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
    Class<?> cls = Class.forName("dev.weir.realtime.LongKeySet");
    Constructor<?> ctor = cls.getDeclaredConstructor(int.class);
    ctor.setAccessible(true);
    Method add = cls.getDeclaredMethod("add", long.class);
    add.setAccessible(true);
    Method memory = cls.getDeclaredMethod("memoryBytes");
    memory.setAccessible(true);
    Method keyFn =
        Class.forName("dev.weir.realtime.Keys")
            .getDeclaredMethod("dedupKey", String.class, String.class);
    keyFn.setAccessible(true);

    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] =
          (long) keyFn.invoke(null, "source-1", "insert-" + i + "-" + Integer.toHexString(i * 31));
    }
    for (int round = 0; round < 2; round++) {
      long before = usedAfterGc(mx);
      Object set = ctor.newInstance(16);
      for (long k : keys) {
        add.invoke(set, k);
      }
      long after = usedAfterGc(mx);
      System.out.printf(
          "LongKeySet (grown from empty): %,d keys, measured %.1f bytes/key, accounted %.1f bytes/key%n",
          n, (after - before) / (double) n, (long) memory.invoke(set) / (double) n);
      Object presized = null;
      set = null;
      before = usedAfterGc(mx);
      presized = ctor.newInstance(n);
      for (long k : keys) {
        add.invoke(presized, k);
      }
      after = usedAfterGc(mx);
      System.out.printf(
          "LongKeySet (presized):         %,d keys, measured %.1f bytes/key, accounted %.1f bytes/key%n",
          n, (after - before) / (double) n, (long) memory.invoke(presized) / (double) n);
      presized = null;

      before = usedAfterGc(mx);
      HashSet<Long> boxed = new HashSet<>();
      for (long k : keys) {
        boxed.add(k);
      }
      after = usedAfterGc(mx);
      System.out.printf(
          "HashSet<Long> baseline:        %,d keys, measured %.1f bytes/key%n",
          boxed.size(), (after - before) / (double) n);
      boxed = null;

      before = usedAfterGc(mx);
      HashSet<String> strings = new HashSet<>();
      SplittableRandom rnd = new SplittableRandom(1);
      for (int i = 0; i < n; i++) {
        strings.add("source-1/" + new java.util.UUID(rnd.nextLong(), rnd.nextLong()));
      }
      after = usedAfterGc(mx);
      System.out.printf(
          "HashSet<String> (UUID ids):    %,d keys, measured %.1f bytes/key%n",
          strings.size(), (after - before) / (double) n);
      strings = null;
    }
  }
}
