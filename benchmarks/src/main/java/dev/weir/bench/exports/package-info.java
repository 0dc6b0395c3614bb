/** Benchmarks of batch exports (warehouse loads) with same-run baselines. */
package dev.weir.bench.exports;
