package dev.weir.host;

import dev.weir.admin.EventTap;
import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import dev.weir.sdk.StreamingDestination;
import java.util.List;

/**
 * Wraps a streaming destination for the delivery engine and tells the admin {@link EventTap} each
 * event's outcome (only while someone watches the event's source). Thread-safe when the wrapped
 * destination is; start/stop stay with the host on the wrapped instance.
 */
final class TappedDestination extends StreamingDestination {
  private final StreamingDestination inner;
  private final String id;
  private final EventTap tap;

  TappedDestination(StreamingDestination inner, String id, EventTap tap) {
    this.inner = inner;
    this.id = id;
    this.tap = tap;
  }

  @Override
  public ConnectorSpec spec() {
    return inner.spec();
  }

  @Override
  public boolean deletesUsers() {
    return inner.deletesUsers();
  }

  @Override
  public Outcome deleteUser(dev.weir.sdk.UserDeletion request) throws Exception {
    return inner.deleteUser(request);
  }

  @Override
  public List<Outcome> deliver(List<Event> batch) throws Exception {
    List<Outcome> outcomes = inner.deliver(batch);
    if (tap.subscribers() > 0 && outcomes != null && outcomes.size() == batch.size()) {
      for (int i = 0; i < batch.size(); i++) {
        Event e = batch.get(i);
        if (!tap.watching(e.sourceId())) {
          continue;
        }
        Outcome o = outcomes.get(i);
        String stage =
            switch (o.status()) {
              case DELIVERED -> "delivered";
              case RETRY -> "retrying";
              case REJECTED -> "dead_lettered";
            };
        tap.delivery(e.sourceId(), null, e, id, stage, o.reason().isEmpty() ? null : o.reason());
      }
    }
    return outcomes;
  }
}
