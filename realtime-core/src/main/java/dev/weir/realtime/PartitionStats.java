package dev.weir.realtime;

/**
 * One partition's counters: the sequence its next stored event gets, how many events it stored and
 * dropped as duplicates, and its data clock (the highest upload time seen, epoch ms; 0 when none).
 */
public record PartitionStats(
    int partition, long nextSequence, long stored, long duplicates, long dataClock) {}
