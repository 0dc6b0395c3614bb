package dev.weir.exports;

/** Progress of a backfill, called on the backfilling thread after each chunk. */
@FunctionalInterface
public interface ExportProgress {
  void progress(int chunksDone, int chunksTotal, long rowsLoaded);

  ExportProgress NONE = (done, total, rows) -> {};
}
