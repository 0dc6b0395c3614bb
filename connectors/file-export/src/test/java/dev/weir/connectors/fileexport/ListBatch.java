package dev.weir.connectors.fileexport;

import dev.weir.sdk.Event;
import dev.weir.sdk.ExportBatch;
import java.util.Iterator;
import java.util.List;

/** An export batch over a list of events, as the scheduler hands a chunk over. */
record ListBatch(String id, List<Event> events) implements ExportBatch {
  @Override
  public int partition() {
    return 0;
  }

  @Override
  public long rowCount() {
    return events.size();
  }

  @Override
  public long minTime() {
    return events.stream().mapToLong(Event::time).min().orElse(0);
  }

  @Override
  public long maxTime() {
    return events.stream().mapToLong(Event::time).max().orElse(0);
  }

  @Override
  public Iterator<Event> rows() {
    return events.iterator();
  }
}
