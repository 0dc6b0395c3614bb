package dev.weir.delivery;

/**
 * Hears the progress of a replay or redelivery. Called from delivery worker threads: keep it quick.
 */
@FunctionalInterface
public interface ProgressListener {
  /** {@code done} of {@code total} events are resolved (delivered or dead-lettered). */
  void progress(long done, long total);
}
