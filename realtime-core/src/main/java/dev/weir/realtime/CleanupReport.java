package dev.weir.realtime;

import java.util.List;
import java.util.Map;

/** What {@link RealtimeStore#cleanup()} deleted, and for each chunk it kept, why. */
public record CleanupReport(List<String> deleted, Map<String, String> kept) {}
