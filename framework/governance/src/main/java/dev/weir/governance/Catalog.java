package dev.weir.governance;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * An immutable snapshot of every loaded plan version. {@link TrackingPlans} swaps whole catalogs
 * atomically, so a reader that takes one catalog sees every plan either entirely before or entirely
 * after a reload.
 */
final class Catalog {
  static final Catalog EMPTY = new Catalog(Map.of(), Map.of());

  private final Map<String, NavigableMap<Integer, CompiledPlan>> plans;
  private final Map<Path, List<CompiledPlan>> byFile;

  Catalog(
      Map<String, NavigableMap<Integer, CompiledPlan>> plans,
      Map<Path, List<CompiledPlan>> byFile) {
    Map<String, NavigableMap<Integer, CompiledPlan>> copy = new TreeMap<>();
    plans.forEach((k, v) -> copy.put(k, Collections.unmodifiableNavigableMap(new TreeMap<>(v))));
    this.plans = Collections.unmodifiableMap(copy);
    this.byFile = Map.copyOf(byFile);
  }

  /** The exact version, or null. */
  CompiledPlan plan(String id, int version) {
    NavigableMap<Integer, CompiledPlan> versions = plans.get(id);
    return versions == null ? null : versions.get(version);
  }

  /** The highest loaded version, or null. */
  CompiledPlan latest(String id) {
    NavigableMap<Integer, CompiledPlan> versions = plans.get(id);
    return versions == null || versions.isEmpty() ? null : versions.lastEntry().getValue();
  }

  NavigableMap<Integer, CompiledPlan> versions(String id) {
    NavigableMap<Integer, CompiledPlan> versions = plans.get(id);
    return versions == null ? Collections.emptyNavigableMap() : versions;
  }

  Map<String, NavigableMap<Integer, CompiledPlan>> all() {
    return plans;
  }

  List<CompiledPlan> fromFile(Path file) {
    return byFile.getOrDefault(file, List.of());
  }
}
