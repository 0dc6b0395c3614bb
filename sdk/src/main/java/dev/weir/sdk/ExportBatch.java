package dev.weir.sdk;

import java.util.Iterator;

/**
 * One sealed unit of events for a {@link BatchDestination}: a chunk of the store. Its id is stable
 * across retries and restarts, so an export keyed by it is idempotent. Rows may be iterated more
 * than once.
 */
public interface ExportBatch {
  /** A stable id, unique within the store, such as {@code p3-000042}. */
  String id();

  /** The store partition the chunk belongs to. */
  int partition();

  /** How many events the batch holds. */
  long rowCount();

  /** Smallest and largest event time (ms) in the batch. */
  long minTime();

  long maxTime();

  /** A fresh iterator over the events, in store sequence order. */
  Iterator<Event> rows();
}
