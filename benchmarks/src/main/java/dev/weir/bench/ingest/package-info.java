/** Ingest benchmarks and load generators: request parsing into records, slow clients. */
package dev.weir.bench.ingest;
