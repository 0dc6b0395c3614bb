package dev.weir.delivery;

/**
 * The end of a replay or redelivery. Immutable.
 *
 * @param selected events the job sent
 * @param delivered events the destination acknowledged
 * @param deadLettered events that failed again and went (back) to the dead-letter store
 * @param cancelled true when the engine stopped before the job finished
 */
public record JobResult(long selected, long delivered, long deadLettered, boolean cancelled) {}
