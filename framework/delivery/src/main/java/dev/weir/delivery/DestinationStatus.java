package dev.weir.delivery;

/**
 * A snapshot of one destination's delivery, ready to serve as JSON. Immutable.
 *
 * @param destination the destination id
 * @param state {@code running}, {@code paused} or {@code stopped}
 * @param delivered events acknowledged by the destination since start
 * @param retrying events waiting for a retry now
 * @param deadLettered events given up since start (all reasons, including expired)
 * @param expired events dead-lettered with reason {@code expired} since start
 * @param lost events the log dropped before this destination could read them (retention shorter
 *     than lag)
 * @param filtered events the routing filter or mapping dropped since start
 * @param eventsPerSecond delivered events per second over the last ten seconds
 * @param lagEvents stored events not yet behind the cursor, summed over partitions
 * @param lagSeconds upload-time distance between the newest stored event and the oldest undelivered
 *     one
 * @param latencyP50Millis median upload-time-to-acknowledgement latency, recent window
 * @param latencyP99Millis 99th percentile of the same
 * @param requestRateLimit current (adaptive) request rate limit per second, 0 when unlimited
 * @param lastError the last failure, secrets removed; empty when none
 * @param lastErrorAt epoch millis of the last failure, 0 when none
 */
public record DestinationStatus(
    String destination,
    String state,
    long delivered,
    long retrying,
    long deadLettered,
    long expired,
    long lost,
    long filtered,
    double eventsPerSecond,
    long lagEvents,
    double lagSeconds,
    double latencyP50Millis,
    double latencyP99Millis,
    double requestRateLimit,
    String lastError,
    long lastErrorAt) {}
