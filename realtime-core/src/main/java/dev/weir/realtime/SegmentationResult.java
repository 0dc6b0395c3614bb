package dev.weir.realtime;

import java.util.Map;
import java.util.SortedMap;

/**
 * Per group value (the empty string when the query has no group-by, {@code (none)} for events
 * without the group-by column), bucket start time (epoch ms) to the count of events or distinct
 * users.
 */
public record SegmentationResult(Map<String, SortedMap<Long, Long>> series) {}
