package dev.weir.connectors.http;

import io.javalin.Javalin;

/**
 * One HTTP ingestion API (a set of routes and its wire format) served by every {@link Listener}.
 * Implementations parse their own request shape, find the source by the request's key ({@link
 * Listener#ingestFor}), then hand canonical events to its {@link Ingest}. Stateless; register is
 * called once per listener.
 */
interface IngestApi {
  void register(Javalin app, Listener listener);
}
