/**
 * Benchmarks of partner-definition request planning (JSONata mapping per event), with same-run
 * baselines.
 */
package dev.weir.bench.definitions;
