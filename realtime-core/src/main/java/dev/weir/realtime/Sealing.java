package dev.weir.realtime;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Seals cached blocks that their own partition's traffic would not: a quiet partition follows the
 * store-wide data clock (the highest upload time any partition has seen), and past {@link
 * StoreOptions#memoryCapacity()} the oldest cached blocks of any partition are sealed early. Called
 * by appenders after they released their partition locks; takes one partition lock at a time.
 */
final class Sealing {
  private Sealing() {}

  /**
   * Lets every partition whose clock lags {@code storeClockMillis} by more than a sixteenth of a
   * block catch up; a partition busy with an append is skipped (that append moves its clock).
   */
  static void followStoreClock(
      List<Partition> partitions, long storeClockMillis, long batch, Consumer<String> problems) {
    for (Partition p : partitions) {
      long slackNanos = Math.max(1, p.intervalMs / 16) * 1_000_000L;
      if (Partition.nanos(storeClockMillis) - p.clockNanos() < slackNanos) {
        continue;
      }
      if (!p.lock.tryLock()) {
        continue;
      }
      try {
        p.followClock(storeClockMillis);
      } finally {
        p.lock.unlock();
      }
      chunk(p, batch, problems);
    }
  }

  /** Seals the oldest cached blocks, store-wide, until the estimate is within {@code capacity}. */
  static void enforceMemory(
      List<Partition> partitions, long capacity, long batch, Consumer<String> problems) {
    if (capacity <= 0) {
      return;
    }
    while (cachedBytes(partitions) > capacity) {
      Partition oldest = null;
      long oldestStart = Long.MAX_VALUE;
      for (Partition p : partitions) {
        Map.Entry<Long, Block> first = p.live.firstEntry();
        if (first != null && first.getKey() < oldestStart) {
          oldestStart = first.getKey();
          oldest = p;
        }
      }
      if (oldest == null) {
        return;
      }
      oldest.lock.lock();
      try {
        oldest.sealOldest();
      } finally {
        oldest.lock.unlock();
      }
      chunk(oldest, batch, problems);
    }
  }

  static long cachedBytes(List<Partition> partitions) {
    long sum = 0;
    for (Partition p : partitions) {
      sum += p.liveBytes;
    }
    return sum;
  }

  private static void chunk(Partition p, long batch, Consumer<String> problems) {
    try {
      Chunker.maybeChunk(p, batch);
    } catch (IOException | RuntimeException e) {
      problems.accept("p" + p.id + ": chunk merge failed, blocks stay in the disk store: " + e);
    }
  }
}
