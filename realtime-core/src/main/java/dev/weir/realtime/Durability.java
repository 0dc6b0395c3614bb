package dev.weir.realtime;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Group commit. Appenders register their writes (files touched, sequences they make visible) and
 * wait; the first waiter to find no fsync running becomes the leader, fsyncs every dirty file for
 * everyone registered so far, and wakes them all. Under INTERVAL a timer fsyncs; under NONE nothing
 * does. Thread-safe.
 */
final class Durability implements AutoCloseable {
  private final StoreOptions.FsyncPolicy policy;
  private final Object monitor = new Object();
  private final Set<WalFile> dirty = new LinkedHashSet<>();
  private final Map<Partition, Long> pendingVisible = new HashMap<>();
  private long writeGen;
  private long syncedGen;
  private boolean syncing;
  private long failedGen = -1;
  private IOException failure;
  private final ScheduledExecutorService timer;

  /**
   * Group-commit helpers: the leader fsyncs the batch's files (one per touched partition) in
   * parallel.
   */
  private final java.util.concurrent.ExecutorService syncPool;

  private long fsyncs;
  private final List<Partition> partitions;

  Durability(StoreOptions options, List<Partition> partitions) {
    this.partitions = partitions;
    this.policy = options.fsyncPolicy();
    if (policy == StoreOptions.FsyncPolicy.INTERVAL) {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "weir-store-fsync");
                t.setDaemon(true);
                return t;
              });
      long ms = Math.max(1, options.fsyncInterval().toMillis());
      timer.scheduleWithFixedDelay(this::syncQuietly, ms, ms, TimeUnit.MILLISECONDS);
    } else {
      timer = null;
    }
    syncPool =
        policy == StoreOptions.FsyncPolicy.ALWAYS
            ? Executors.newFixedThreadPool(
                Math.min(4, Math.max(1, options.partitions() - 1)),
                r -> {
                  Thread t = new Thread(r, "weir-store-group-fsync");
                  t.setDaemon(true);
                  return t;
                })
            : null;
  }

  private void forceAll(List<WalFile> files) throws IOException {
    if (files.size() <= 1 || syncPool == null) {
      for (WalFile f : files) {
        f.force();
      }
      return;
    }
    List<java.util.concurrent.Future<?>> pending = new ArrayList<>();
    for (WalFile f : files.subList(1, files.size())) {
      pending.add(
          syncPool.submit(
              () -> {
                f.force();
                return null;
              }));
    }
    IOException error = null;
    try {
      files.get(0).force();
    } catch (IOException e) {
      error = e;
    }
    for (java.util.concurrent.Future<?> f : pending) {
      try {
        f.get();
      } catch (java.util.concurrent.ExecutionException e) {
        if (error == null) {
          error = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreWriteException("interrupted while waiting for fsync");
      }
    }
    if (error != null) {
      throw error;
    }
  }

  /**
   * Called under the partition locks once the batch is written: returns the generation to await.
   */
  long registerWrite(Collection<WalFile> files, Map<Partition, Long> visible) {
    synchronized (monitor) {
      writeGen++;
      if (policy == StoreOptions.FsyncPolicy.ALWAYS) {
        dirty.addAll(files);
        visible.forEach((p, s) -> pendingVisible.merge(p, s, Math::max));
      } else {
        if (policy == StoreOptions.FsyncPolicy.INTERVAL) {
          dirty.addAll(files);
        }
        visible.forEach(Partition::publishVisible);
      }
      return writeGen;
    }
  }

  /** Returns once generation {@code gen} is durable under the policy. */
  void await(long gen) throws IOException {
    if (policy != StoreOptions.FsyncPolicy.ALWAYS) {
      return;
    }
    while (true) {
      List<WalFile> files;
      Map<Partition, Long> visible;
      long target;
      synchronized (monitor) {
        while (true) {
          if (syncedGen >= gen) {
            return;
          }
          if (failedGen >= gen) {
            throw new StoreWriteException("fsync failed: " + failure.getMessage(), failure);
          }
          if (!syncing) {
            break;
          }
          try {
            monitor.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreWriteException("interrupted while waiting for fsync");
          }
        }
        syncing = true;
        target = writeGen;
        files = new ArrayList<>(dirty);
        dirty.clear();
        visible = new HashMap<>(pendingVisible);
        pendingVisible.clear();
      }
      IOException error = null;
      try {
        forceAll(files);
      } catch (IOException e) {
        error = e;
      }
      if (error != null) {
        discardUnsynced(error);
        continue;
      }
      synchronized (monitor) {
        syncing = false;
        fsyncs++;
        if (error == null) {
          syncedGen = target;
          visible.forEach(Partition::publishVisible);
        } else {
          failedGen = target;
          failure = error;
        }
        monitor.notifyAll();
      }
    }
  }

  /**
   * After a failed fsync nothing written since the last good one can be trusted to be on disk:
   * every partition drops its rows beyond its visible sequence (their keys too, so a retry is
   * stored), and every appender still waiting fails. Partition locks are taken in index order, then
   * the monitor, the same order appenders use.
   */
  private void discardUnsynced(IOException error) {
    for (Partition p : partitions) {
      p.lock.lock();
    }
    try {
      synchronized (monitor) {
        syncing = false;
        fsyncs++;
        failedGen = writeGen;
        failure = error;
        dirty.clear();
        pendingVisible.clear();
        monitor.notifyAll();
      }
      for (Partition p : partitions) {
        p.discardUnsynced();
      }
    } finally {
      for (Partition p : partitions) {
        p.lock.unlock();
      }
    }
  }

  /** fsyncs everything written so far (interval timer, close). */
  void syncAll() throws IOException {
    List<WalFile> files;
    synchronized (monitor) {
      files = new ArrayList<>(dirty);
      dirty.clear();
    }
    for (WalFile f : files) {
      f.force();
    }
  }

  long fsyncCount() {
    synchronized (monitor) {
      return fsyncs;
    }
  }

  private void syncQuietly() {
    try {
      syncAll();
    } catch (IOException e) {
      // the next interval retries; appends under INTERVAL accept losing the last interval
    }
  }

  @Override
  public void close() throws IOException {
    if (timer != null) {
      // not shutdownNow: interrupting a thread inside FileChannel.force closes the channel
      timer.shutdown();
      try {
        timer.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    syncAll();
    if (syncPool != null) {
      syncPool.shutdown();
    }
  }
}
