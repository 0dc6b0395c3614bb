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
      Event.Builder b = e.toBuilder().sourceId(s.sourceId).uploadTime(s.now);
      if (e.time() == null) {
        b.time(s.now);
      }
      s.stamped[i] = b.build();
    }
    chain.proceed(s);
  }
}
