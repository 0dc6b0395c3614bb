package dev.weir.admin;

import dev.weir.realtime.ChunkInfo;
import dev.weir.realtime.StoreStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * Store gauges and counters on the backend's registry, read from {@code RealtimeStore.stats()} at
 * scrape time: blocks in memory, chunks and their bytes, current batch, dedup keys, events stored
 * and duplicates. Registered once per registry (Micrometer keeps the first registration); reads go
 * through the backend, so they follow its store.
 */
final class StoreMeters {
  private StoreMeters() {}

  static void bind(AdminBackend backend, MeterRegistry registry) {
    gauge(
        registry,
        "weir.store.blocks.in.memory",
        "Store blocks held in memory",
        backend,
        b -> stat(b, s -> s.blocksInMemory()));
    gauge(
        registry,
        "weir.store.chunks",
        "Sealed chunks on disk",
        backend,
        b -> stat(b, s -> s.chunks()));
    gauge(
        registry,
        "weir.store.current.batch",
        "Current batch number",
        backend,
        b -> stat(b, s -> s.currentBatch()));
    gauge(
        registry,
        "weir.store.dedup.keys",
        "Dedup keys held in memory",
        backend,
        b -> stat(b, s -> s.dedupKeys()));
    Gauge.builder(
            "weir.store.chunk.size",
            backend,
            b ->
                b.store()
                    .map(s -> (double) s.chunks().stream().mapToLong(ChunkInfo::sizeBytes).sum())
                    .orElse(Double.NaN))
        .description("Bytes of sealed chunks on disk")
        .baseUnit("bytes")
        .register(registry);
    FunctionCounter.builder("weir.store.events.stored", backend, b -> stat(b, s -> s.stored()))
        .description("Events stored since the store opened")
        .register(registry);
    FunctionCounter.builder("weir.store.duplicates", backend, b -> stat(b, s -> s.duplicates()))
        .description("Events dropped as duplicates since the store opened")
        .register(registry);
  }

  private static void gauge(
      MeterRegistry r,
      String name,
      String description,
      AdminBackend backend,
      ToDoubleFunction<AdminBackend> f) {
    Gauge.builder(name, backend, f).description(description).register(r);
  }

  private static double stat(AdminBackend b, ToDoubleFunction<StoreStats> f) {
    return b.store().map(s -> f.applyAsDouble(s.stats())).orElse(Double.NaN);
  }
}
