/**
 * The {@code http} source: canonical {@code /v1/events}, Amplitude {@code /2/httpapi} and {@code
 * /batch}, and Segment {@code /v1/*} over Javalin, with write-key auth, limits and per-index
 * errors.
 */
package dev.weir.connectors.http;
