package dev.weir.realtime;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Child JVM for {@link MergeCrashIT}: opens a store full of small chunks and merges them, parking
 * (until the parent SIGKILLs it) at the named phase of the first merge: {@code write} (temp file
 * being written), {@code renamed} (merged chunk renamed into place, old chunks not yet deleted),
 * {@code deleting} (one old chunk deleted, the others not).
 */
public final class MergeCrashChild {
  private MergeCrashChild() {}

  static StoreOptions options(Path dir, int mergedRows, StoreFileSystem fs) {
    return StoreOptions.builder(dir)
        .partitions(2)
        .blockInterval(java.time.Duration.ofMinutes(1))
        .cachedBlocksPerPartition(1)
        .blocksPerChunk(1)
        .mergedChunkRows(mergedRows)
        .fsyncPolicy(StoreOptions.FsyncPolicy.ALWAYS)
        .cleanupInterval(java.time.Duration.ZERO)
        .fileSystem(fs)
        .build();
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String phase = args[1];
    PrintStream out =
        new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, "UTF-8");
    StoreFileSystem fs =
        new StoreFileSystem() {
          @Override
          public FileChannel open(Path path, OpenOption... options) throws IOException {
            FileChannel ch = StoreFileSystem.super.open(path, options);
            if (path.getFileName().toString().endsWith(".chunk.tmp")) {
              park(out, phase, "write");
            }
            return ch;
          }

          @Override
          public void move(Path from, Path to) throws IOException {
            StoreFileSystem.super.move(from, to);
            if (from.getFileName().toString().endsWith(".chunk.tmp")) {
              park(out, phase, "renamed");
            }
          }

          @Override
          public void delete(Path path) throws IOException {
            StoreFileSystem.super.delete(path);
            if (path.getFileName().toString().endsWith(".chunk")) {
              park(out, phase, "deleting");
            }
          }
        };
    try (RealtimeStore store = RealtimeStore.open(options(dir, 1_000_000, fs))) {
      out.println("READY");
      int made = store.mergeChunksNow();
      out.println("MERGED " + made);
    }
  }

  private static void park(PrintStream out, String phase, String here) {
    if (!phase.equals(here)) {
      return;
    }
    out.println("PHASE " + here);
    try {
      new CountDownLatch(1).await(); // until SIGKILL
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
