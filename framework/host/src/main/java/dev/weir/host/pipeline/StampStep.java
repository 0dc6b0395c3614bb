package dev.weir.host.pipeline;

import dev.weir.sdk.Event;

/**
 * Stamps each event with its {@code source_id} (the workspace id of the source), {@code
 * upload_time} (always the receive time, whatever the event carried) and {@code time} (defaults to
 * the upload time).
 */
final class StampStep implements IngestStep {
  @Override
  public void apply(Submission s, Chain chain) {
    for (int i = 0; i < s.events.size(); i++) {
      Event e = s.events.get(i);
      // source_id and upload_time are the server's: whatever a source or its client put there, the
      // receive time wins (docs/ingestion.md, "Fields Weir owns").
      // An event parsed straight into its record is spliced, not rebuilt.
      Event stamped = e.withSourceAndUploadTime(s.sourceId, s.now);
      if (stamped.time() == null) {
        stamped = stamped.toBuilder().time(s.now).build();
      }
      s.stamped[i] = stamped;
    }
    chain.proceed(s);
  }
}
