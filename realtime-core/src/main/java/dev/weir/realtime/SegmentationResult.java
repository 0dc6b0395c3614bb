package dev.weir.realtime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Per group value (the empty string when the query has no group-by, {@code (none)} for events
 * without the group-by column, {@code (other)} for the groups past the limit), bucket start time
 * (epoch ms) to the metric's value; buckets without events are absent. {@code totals} holds each
 * group's value over the whole range (distinct users over the range, not the sum of buckets);
 * {@code groups} lists the groups by descending total (ties by name), {@code (other)} last.
 */
public record SegmentationResult(
    Map<String, SortedMap<Long, Double>> values, Map<String, Double> totals, List<String> groups) {
  public static final String OTHER = "(other)";
  public static final String NONE = "(none)";

  public SegmentationResult {
    Map<String, SortedMap<Long, Double>> v = new LinkedHashMap<>();
    for (String g : groups) {
      v.put(g, java.util.Collections.unmodifiableSortedMap(new TreeMap<>(values.get(g))));
    }
    values = java.util.Collections.unmodifiableMap(v);
    totals = Map.copyOf(totals);
    groups = List.copyOf(groups);
  }

  /** The values rounded to whole numbers (exact for COUNT and UNIQUES). */
  public Map<String, SortedMap<Long, Long>> series() {
    Map<String, SortedMap<Long, Long>> out = new LinkedHashMap<>();
    values.forEach(
        (g, bs) -> {
          SortedMap<Long, Long> m = new TreeMap<>();
          bs.forEach((b, x) -> m.put(b, Math.round(x)));
          out.put(g, m);
        });
    return out;
  }
}
