package dev.weir.connectors.http;

import io.javalin.Javalin;

/**
 * One HTTP ingestion API (a set of routes and its wire format) served by the {@code http} source. Implementations
 * parse their own request shape, then hand canonical events to {@link Ingest}. Stateless; register is called once.
 */
interface IngestApi {
  void register(Javalin app, Ingest ingest);
}
