/**
 * The delivery engine: durable per-destination cursors, batching, bounded workers, and each batch
 * through a {@code DeliveryChain} of steps (dead-letter, retry, classify, bisect, rate limit,
 * verify shape, send); replay and dead-letter stores. Entry point {@link
 * dev.weir.delivery.DeliveryEngine}.
 */
package dev.weir.delivery;
