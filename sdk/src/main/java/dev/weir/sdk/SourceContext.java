package dev.weir.sdk;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** The context of a source connection: a {@link ConnectorContext} that also takes events in. */
public interface SourceContext extends ConnectorContext {
  /**
   * Hands events to the pipeline (tracking plan, dedup store, router). The stage completes once
   * every accepted event is durable in the store, with one status per event in input order; only
   * then may the source acknowledge them to its client. It completes exceptionally with {@link
   * StoreUnavailableException} when the store cannot take events now (disk full, shutting down):
   * the client should retry later.
   *
   * <p>The host sets {@code source_id} to this connection's id and {@code upload_time} to its
   * receive time, replacing any value the event carried; events without {@code time} get their
   * upload time. Thread-safe; call from any thread.
   */
  CompletionStage<SubmitResult> submit(List<Event> events);
}
