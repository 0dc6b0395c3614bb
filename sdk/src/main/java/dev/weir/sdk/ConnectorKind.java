package dev.weir.sdk;

/** What a connector does in the flow of events. */
public enum ConnectorKind {
  /** Brings events into Weir: {@link SourceConnector}. */
  SOURCE,
  /** Receives events as a real-time stream: {@link StreamingDestination}. */
  STREAMING_DESTINATION,
  /** Exports sealed chunks of events: {@link BatchDestination}. */
  BATCH_DESTINATION
}
