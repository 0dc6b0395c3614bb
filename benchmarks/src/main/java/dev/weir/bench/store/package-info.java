/**
 * JMH benchmarks of the real-time store (append, read, query) against baselines such as RocksDB and
 * DuckDB.
 */
package dev.weir.bench.store;
