package dev.weir.exports;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.BatchDestination;
import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.ExportBatch;
import dev.weir.sdk.ExportResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real, minimal batch destination for scheduler tests: writes each chunk as one NDJSON file named
 * by chunk id (atomic replace, so idempotent), and can be told to fail its next exports.
 */
final class DirectoryDestination extends BatchDestination {
  private static final ObjectMapper JSON = new ObjectMapper();
  final Path dir;
  final List<String> calls = new CopyOnWriteArrayList<>();
  final AtomicInteger failNext = new AtomicInteger();
  final AtomicInteger errorNext = new AtomicInteger();

  DirectoryDestination(Path dir) {
    this.dir = dir;
  }

  @Override
  public ConnectorSpec spec() {
    return ConnectorSpec.builder("test-directory").build();
  }

  @Override
  public ExportResult export(ExportBatch batch) throws Exception {
    calls.add(batch.id());
    if (errorNext.get() > 0) {
      errorNext.decrementAndGet();
      throw new NoClassDefFoundError("a plugin class went missing");
    }
    if (failNext.get() > 0) {
      failNext.decrementAndGet();
      throw new java.io.IOException("destination unavailable");
    }
    StringBuilder sb = new StringBuilder();
    long n = 0;
    for (Iterator<Event> it = batch.rows(); it.hasNext(); n++) {
      sb.append(JSON.writeValueAsString(it.next().toMap())).append('\n');
    }
    StateFiles.writeAtomically(dir.resolve(batch.id() + ".ndjson"), sb.toString());
    return ExportResult.committed(n);
  }

  List<String> exportedFiles() throws Exception {
    List<String> out = new ArrayList<>();
    try (var s = java.nio.file.Files.list(dir)) {
      s.map(p -> p.getFileName().toString())
          .filter(f -> f.endsWith(".ndjson"))
          .sorted()
          .forEach(out::add);
    }
    return out;
  }
}
