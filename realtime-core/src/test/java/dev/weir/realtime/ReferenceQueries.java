package dev.weir.realtime;

import dev.weir.sdk.Event;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The obvious row-by-row answer to every query type over a plain list of events (in append order,
 * which is sequence order per user): what the vectorised engine must equal.
 */
final class ReferenceQueries {
  private final List<Event> events;

  ReferenceQueries(List<Event> events) {
    this.events = events;
  }

  private static long time(Event e) {
    return e.time() != null ? e.time() : e.uploadTime();
  }

  private static boolean matches(
      Event e, long from, long to, String type, List<Filter> filters, List<String> sources) {
    long t = time(e);
    if (t < from || t >= to) {
      return false;
    }
    if (type != null && !type.equals(e.eventType())) {
      return false;
    }
    String src = e.sourceId();
    boolean inScope = sources.isEmpty() ? !src.endsWith(":quarantine") : sources.contains(src);
    if (!inScope) {
      return false;
    }
    for (Filter f : filters) {
      if (!Matcher.test(f, col -> EventFields.get(e, col))) {
        return false;
      }
    }
    return true;
  }

  SegmentationResult segmentation(SegmentationQuery q) {
    long w = q.bucket().millis();
    Map<String, Map<Long, List<Event>>> cells = new HashMap<>();
    Map<String, List<Event>> perGroup = new HashMap<>();
    for (Event e : events) {
      if (!matches(e, q.fromTime(), q.toTime(), q.eventType(), q.filters(), q.sources())) {
        continue;
      }
      if (!contributes(q, e)) {
        continue;
      }
      String g = "";
      if (q.groupBy() != null) {
        Object v = EventFields.get(e, q.groupBy());
        g = v == null ? "(none)" : String.valueOf(v);
      }
      long b = Math.floorDiv(time(e), w) * w;
      cells
          .computeIfAbsent(g, k -> new TreeMap<>())
          .computeIfAbsent(b, k -> new ArrayList<>())
          .add(e);
      perGroup.computeIfAbsent(g, k -> new ArrayList<>()).add(e);
    }
    Map<String, Double> totals = new HashMap<>();
    perGroup.forEach((g, evs) -> totals.put(g, measure(q, evs)));
    List<String> order = new ArrayList<>(perGroup.keySet());
    order.sort(
        Comparator.comparing((String g) -> -totals.get(g))
            .thenComparing(Comparator.naturalOrder()));
    if (q.groupBy() != null && q.limit() > 0 && order.size() > q.limit()) {
      Map<Long, List<Event>> other = new TreeMap<>();
      List<Event> otherAll = new ArrayList<>();
      for (String g : order.subList(q.limit(), order.size())) {
        cells
            .remove(g)
            .forEach((b, evs) -> other.computeIfAbsent(b, k -> new ArrayList<>()).addAll(evs));
        otherAll.addAll(perGroup.get(g));
        totals.remove(g);
      }
      order = new ArrayList<>(order.subList(0, q.limit()));
      order.add("(other)");
      cells.put("(other)", other);
      totals.put("(other)", measure(q, otherAll));
    }
    Map<String, SortedMap<Long, Double>> values = new LinkedHashMap<>();
    for (String g : order) {
      SortedMap<Long, Double> m = new TreeMap<>();
      cells.get(g).forEach((b, evs) -> m.put(b, measure(q, evs)));
      values.put(g, m);
    }
    return new SegmentationResult(values, totals, order);
  }

  private static boolean contributes(SegmentationQuery q, Event e) {
    return switch (q.metric()) {
      case COUNT -> true;
      case UNIQUES -> e.identity() != null;
      default -> EventFields.get(e, q.metricProperty()) instanceof Number;
    };
  }

  private static double measure(SegmentationQuery q, List<Event> evs) {
    List<Double> xs = new ArrayList<>();
    if (q.metric().numeric()) {
      for (Event e : evs) {
        xs.add(((Number) EventFields.get(e, q.metricProperty())).doubleValue());
      }
    }
    return switch (q.metric()) {
      case COUNT -> evs.size();
      case UNIQUES -> {
        Set<String> who = new HashSet<>();
        evs.forEach(e -> who.add(e.identity()));
        yield who.size();
      }
      case SUM -> xs.stream().mapToDouble(d -> d).sum();
      case AVG -> xs.stream().mapToDouble(d -> d).average().orElse(0);
      case MIN -> xs.stream().mapToDouble(d -> d).min().orElseThrow();
      case MAX -> xs.stream().mapToDouble(d -> d).max().orElseThrow();
    };
  }

  private Map<String, List<Event>> byUser(long from, long to, List<String> sources) {
    Map<String, List<Event>> out = new TreeMap<>();
    for (Event e : events) {
      if (e.identity() != null && matches(e, from, to, null, List.of(), sources)) {
        out.computeIfAbsent(e.identity(), k -> new ArrayList<>()).add(e);
      }
    }
    // stable: equal times keep append (sequence) order
    out.values().forEach(l -> l.sort(Comparator.comparingLong(ReferenceQueries::time)));
    return out;
  }

  private static boolean stepMatches(FunnelQuery.Step s, Event e) {
    if (s.eventType() != null && !s.eventType().equals(e.eventType())) {
      return false;
    }
    for (Filter f : s.filters()) {
      if (!Matcher.test(f, col -> EventFields.get(e, col))) {
        return false;
      }
    }
    return true;
  }

  FunnelResult funnel(FunnelQuery q) {
    int n = q.steps().size();
    long[] reached = new long[n];
    List<List<Long>> times = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      times.add(new ArrayList<>());
    }
    for (List<Event> evs :
        byUser(q.fromTime(), q.toTime() + q.conversionWindowMillis() + 1, q.sources()).values()) {
      int best = 0;
      long[] bestPath = new long[n];
      for (int i = 0; i < evs.size(); i++) {
        Event first = evs.get(i);
        long t0 = time(first);
        if (!stepMatches(q.steps().get(0), first) || t0 < q.fromTime() || t0 >= q.toTime()) {
          continue;
        }
        Object held = q.holdConstant() == null ? null : EventFields.get(first, q.holdConstant());
        long[] path = new long[n];
        path[0] = t0;
        int cur = 1;
        if (q.holdConstant() == null || held != null) {
          for (int j = i + 1; j < evs.size() && cur < n; j++) {
            Event e = evs.get(j);
            if (time(e) > t0 + q.conversionWindowMillis()) {
              break;
            }
            boolean same =
                q.holdConstant() == null
                    || String.valueOf(held)
                            .equals(String.valueOf(EventFields.get(e, q.holdConstant())))
                        && EventFields.get(e, q.holdConstant()) != null;
            if (stepMatches(q.steps().get(cur), e) && same) {
              path[cur++] = time(e);
            }
          }
        }
        if (cur > best) {
          best = cur;
          bestPath = path;
        }
      }
      for (int s = 0; s < best; s++) {
        reached[s]++;
        times.get(s).add(bestPath[s] - bestPath[0]);
      }
    }
    List<Long> r = new ArrayList<>();
    List<Long> med = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      r.add(reached[s]);
      List<Long> ts = new ArrayList<>(times.get(s));
      ts.sort(null);
      med.add(s == 0 || ts.isEmpty() ? null : ts.get((ts.size() - 1) / 2));
    }
    return new FunnelResult(r, med);
  }

  RetentionResult retention(RetentionQuery q) {
    long w = q.bucket().millis();
    Map<Long, long[]> cohorts = new TreeMap<>();
    Map<Long, Long> sizes = new TreeMap<>();
    for (List<Event> evs : byUser(Long.MIN_VALUE, Long.MAX_VALUE, q.sources()).values()) {
      Long first = null;
      for (Event e : evs) {
        if (stepMatches(q.start(), e) && time(e) >= q.fromTime() && time(e) < q.toTime()) {
          first = time(e);
          break;
        }
      }
      if (first == null) {
        continue;
      }
      long c = Math.floorDiv(first, w) * w;
      sizes.merge(c, 1L, Long::sum);
      long[] ret = cohorts.computeIfAbsent(c, k -> new long[q.periods()]);
      Set<Long> seen = new TreeSet<>();
      for (Event e : evs) {
        long k = (Math.floorDiv(time(e), w) * w - c) / w;
        if (stepMatches(q.returning(), e) && k >= 1 && k <= q.periods() && seen.add(k)) {
          ret[(int) k - 1]++;
        }
      }
    }
    List<RetentionResult.Cohort> out = new ArrayList<>();
    sizes.forEach(
        (c, n) -> {
          List<Long> r = new ArrayList<>();
          for (long x : cohorts.get(c)) {
            r.add(x);
          }
          out.add(new RetentionResult.Cohort(c, n, r));
        });
    return new RetentionResult(out);
  }

  Set<String> audience(AudienceQuery q) {
    Set<String> out = new TreeSet<>();
    for (Event e : events) {
      if (e.identity() != null
          && matches(e, q.fromTime(), q.toTime(), q.eventType(), q.filters(), q.sources())) {
        out.add(e.identity());
      }
    }
    return out;
  }
}
