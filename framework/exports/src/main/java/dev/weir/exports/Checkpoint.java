package dev.weir.exports;

import dev.weir.realtime.StoreFileSystem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One batch destination's durable record of the chunks it has exported (one chunk id per line). A
 * chunk is added only after the destination committed it; {@link #markExported} returns once the
 * file and its directory are fsynced. Ids of chunks the store no longer holds are pruned on the
 * next write. Thread-safe.
 */
final class Checkpoint {
  private final StoreFileSystem fs;
  private final Path file;
  private final Set<String> exported;

  Checkpoint(Path file) throws IOException {
    this(StoreFileSystem.DEFAULT, file);
  }

  Checkpoint(StoreFileSystem fs, Path file) throws IOException {
    this.fs = fs;
    this.file = file;
    this.exported = new LinkedHashSet<>(StateFiles.lines(file));
  }

  synchronized boolean isExported(String chunkId) {
    return exported.contains(chunkId);
  }

  synchronized Set<String> exported() {
    return Set.copyOf(exported);
  }

  /**
   * Durably records {@code chunkId} as exported, forgetting ids not in {@code live} (deleted
   * chunks).
   */
  synchronized void markExported(String chunkId, Collection<String> live) throws IOException {
    Set<String> next = new LinkedHashSet<>();
    for (String id : exported) {
      if (live.contains(id)) {
        next.add(id);
      }
    }
    next.add(chunkId);
    StateFiles.writeAtomically(fs, file, String.join("\n", next) + "\n");
    exported.clear();
    exported.addAll(next);
  }
}
