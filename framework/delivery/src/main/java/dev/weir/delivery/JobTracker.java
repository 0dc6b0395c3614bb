package dev.weir.delivery;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts a replay or redelivery job's items as they resolve, reports progress, and completes the
 * job's future once every submitted item is resolved. Thread-safe.
 */
final class JobTracker implements Item.Origin {
  final CompletableFuture<JobResult> result = new CompletableFuture<>();
  private final ProgressListener listener;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong dead = new AtomicLong();
  private volatile long total = -1;
  private volatile long submitted;

  JobTracker(ProgressListener listener) {
    this.listener = listener == null ? (d, t) -> {} : listener;
  }

  void total(long total) {
    this.total = total;
    listener.progress(0, total);
  }

  void submitted() {
    submitted++;
  }

  /** No more items will be submitted. */
  synchronized void sealed() {
    total = submitted;
    maybeComplete();
  }

  void cancel() {
    result.complete(new JobResult(submitted, delivered.get(), dead.get(), true));
  }

  @Override
  public void resolved(Item item, boolean ok) {
    (ok ? delivered : dead).incrementAndGet();
    long done = delivered.get() + dead.get();
    try {
      listener.progress(done, Math.max(total, done));
    } catch (RuntimeException ignored) {
      // a listener's failure must not disturb delivery
    }
    synchronized (this) {
      maybeComplete();
    }
  }

  private void maybeComplete() {
    if (total >= 0 && total == submitted && delivered.get() + dead.get() >= total) {
      result.complete(new JobResult(total, delivered.get(), dead.get(), false));
    }
  }
}
