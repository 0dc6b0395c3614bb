/**
 * The {@code webhook} destination: POSTs JSON batches through the SDK's HTTP client, mapping
 * statuses (and optional per-event results) to outcomes.
 */
package dev.weir.connectors.webhook;
