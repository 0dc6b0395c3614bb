/** Benchmarks of tracking-plan validation with same-run baselines. */
package dev.weir.bench.governance;
