package dev.weir.host.cli;

import dev.weir.governance.PlanCheckCommand.LineFormat;
import dev.weir.governance.PlanCheckCommand.Read;
import dev.weir.sdk.EventFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The payload formats the offline tools read besides Weir's own: every {@link EventFormat} on the
 * class path (the built-in {@code amplitude} and {@code segment}, the same parsers the HTTP source
 * uses), for {@code weir plan check --format} and {@code weir replay-file --format}. Stateless.
 */
final class PlanFormats {
  private PlanFormats() {}

  /** The installed formats by name, in name order. */
  static Map<String, EventFormat> installed() {
    Map<String, EventFormat> out = new TreeMap<>();
    for (EventFormat f :
        ServiceLoader.load(EventFormat.class, PlanFormats.class.getClassLoader())) {
      out.putIfAbsent(f.name(), f);
    }
    return out;
  }

  /** The installed formats as {@code weir plan check} reads them. */
  static Map<String, LineFormat> all() {
    Map<String, LineFormat> out = new LinkedHashMap<>();
    installed().forEach((name, f) -> out.put(name, line -> reads(f, line)));
    return out;
  }

  private static List<Read> reads(EventFormat f, String line) {
    return f.parse(line, System.currentTimeMillis()).stream()
        .map(
            p ->
                p.event() != null
                    ? new Read(p.event(), null)
                    : new Read(null, String.join("; ", p.problems())))
        .toList();
  }
}
