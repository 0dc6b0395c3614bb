package dev.weir.realtime;

/**
 * A sealed, column-oriented chunk of one partition: the unit batch exports read and cleanup
 * deletes. Times are event times (the event's {@code time}, else its upload time) in epoch
 * milliseconds.
 */
public record ChunkInfo(
    String id,
    int partition,
    long batch,
    int rows,
    long minTime,
    long maxTime,
    long minSequence,
    long maxSequence,
    long sizeBytes) {}
