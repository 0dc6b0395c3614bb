package dev.weir.realtime;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * A registered reader (a destination cursor, an export) that pins the data it still needs: per
 * partition, the lowest sequence it has not yet consumed. Cleanup never deletes a chunk holding a
 * sequence at or above a reader's position. Thread-safe; registrations live in memory, so readers
 * re-register after a restart.
 */
public final class ReaderHandle implements AutoCloseable {
  private final String name;
  private final ConcurrentMap<Integer, Long> positions = new ConcurrentHashMap<>();
  private final Consumer<ReaderHandle> onClose;

  ReaderHandle(String name, Consumer<ReaderHandle> onClose) {
    this.name = name;
    this.onClose = onClose;
  }

  public String name() {
    return name;
  }

  /** The lowest sequence of {@code partition} this reader still needs (0 until advanced). */
  public long position(int partition) {
    return positions.getOrDefault(partition, 0L);
  }

  /**
   * Records that everything below {@code nextNeededSequence} in {@code partition} is consumed;
   * never moves back.
   */
  public void advance(int partition, long nextNeededSequence) {
    positions.merge(partition, nextNeededSequence, Math::max);
  }

  /** Unregisters the reader: it pins nothing any more. */
  @Override
  public void close() {
    onClose.accept(this);
  }
}
