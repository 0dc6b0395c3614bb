package dev.weir.governance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one (re)load of the plan files did. Immutable.
 *
 * @param at when the load finished
 * @param loaded the plan versions now in force, as {@code id@version}
 * @param failures files that were rejected; for each, any version it had loaded before stays in
 *     force
 */
public record ReloadReport(Instant at, List<String> loaded, List<PlanLoadException> failures) {
  public ReloadReport {
    loaded = List.copyOf(loaded);
    failures = List.copyOf(failures);
  }

  /** True when every file loaded. */
  public boolean ok() {
    return failures.isEmpty();
  }

  /** A JSON-ready map for the admin API. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("at", at.toString());
    m.put("loaded", loaded);
    List<Object> fs = new ArrayList<>();
    for (PlanLoadException f : failures) {
      Map<String, Object> fm = new LinkedHashMap<>();
      fm.put("file", f.file().toString());
      if (f.event() != null) {
        fm.put("event", f.event());
      }
      fm.put("path", f.jsonPath());
      fm.put("reason", f.reason());
      fs.add(fm);
    }
    m.put("failures", fs);
    return m;
  }
}
