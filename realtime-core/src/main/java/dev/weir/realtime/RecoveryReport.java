package dev.weir.realtime;

import java.util.List;

/**
 * What {@link RealtimeStore#open} found on disk: events replayed from write-ahead files, and every
 * problem it repaired (torn or corrupt tails truncated, corrupt records skipped, duplicate files
 * from an interrupted chunk creation removed, interrupted deletions completed).
 */
public record RecoveryReport(
    long eventsReplayed, long blockFiles, long chunks, List<String> problems, long elapsedMillis) {}
