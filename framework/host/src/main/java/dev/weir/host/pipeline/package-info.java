/**
 * The way in: {@link dev.weir.host.pipeline.Pipeline} runs each submission through its ingest steps
 * (stamp, govern, store, tap) and owns per-source gates and meters; the host's connector context
 * and shared services.
 */
package dev.weir.host.pipeline;
