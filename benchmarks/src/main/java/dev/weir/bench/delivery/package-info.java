/**
 * The delivery engine's load generator ({@code DeliveryBench}): throughput and latency against a
 * local HTTP endpoint, each with a same-run baseline.
 */
package dev.weir.bench.delivery;
