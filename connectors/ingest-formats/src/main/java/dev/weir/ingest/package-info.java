/**
 * The wire formats the ingest sources share (Amplitude HTTP V2 and batch, Segment): parsing into
 * {@code Event}s with per-field problems. A library that connectors bundle.
 */
package dev.weir.ingest;
