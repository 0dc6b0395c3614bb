package dev.weir.realtime;

import dev.weir.sdk.Event;

/** One event as stored: its partition, its per-partition sequence number and the event itself. */
public record StoredEvent(int partition, long sequence, Event event) {}
