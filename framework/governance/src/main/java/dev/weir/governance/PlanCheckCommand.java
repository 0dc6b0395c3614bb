package dev.weir.governance;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.Event;
import dev.weir.sdk.Violation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weir plan check --plan plan.yaml [--format weir|amplitude|segment] events.ndjson}:
 * validates a file of events (one JSON object a line: a canonical event, or with {@code --format} a
 * payload as a client sends it, such as an Amplitude request body or a Segment call) offline and
 * prints a table of violations by event type and field. Exit code 0 when nothing would be blocked,
 * 1 when some event would be blocked or a line cannot be read, 2 when the plan does not load.
 */
@Command(
    name = "check",
    description =
        "Validate NDJSON events against a tracking plan; exit 1 when anything would be blocked.",
    mixinStandardHelpOptions = true)
public final class PlanCheckCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One event read from a line, or why it could not be. */
  public record Read(Event event, String problem) {}

  /**
   * Turns one line of a file into events: a request body may hold several (Amplitude's {@code
   * events}, Segment's {@code batch}). Stateless.
   */
  @FunctionalInterface
  public interface LineFormat {
    /**
     * @throws IllegalArgumentException when the line as a whole cannot be read
     */
    List<Read> read(String line);
  }

  /** Weir's canonical event, one a line. */
  static final LineFormat CANONICAL =
      line -> {
        try {
          @SuppressWarnings("unchecked")
          Map<String, Object> map = JSON.readValue(line, Map.class);
          return List.of(new Read(Event.fromMap(map), null));
        } catch (IOException | ClassCastException e) {
          throw new IllegalArgumentException(firstLine(e.getMessage()), e);
        }
      };

  private final Map<String, LineFormat> formats = new LinkedHashMap<>();

  /** With the canonical format only. */
  public PlanCheckCommand() {
    this(Map.of());
  }

  /** With these formats besides {@code weir} (the host adds amplitude and segment). */
  public PlanCheckCommand(Map<String, LineFormat> more) {
    formats.put("weir", CANONICAL);
    formats.putAll(more);
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--format",
      defaultValue = "weir",
      description =
          "What each line is: weir (a canonical event; ${DEFAULT-VALUE}), amplitude (an /2/httpapi"
              + " or /batch body, or one event), segment (a call, or a /v1/batch body)")
  String format;

  @Option(
      names = "--plan",
      required = true,
      description = "Plan file, or a directory of plan files (all versions).")
  Path plan;

  @Option(
      names = "--plan-id",
      description = "Plan id, when the plan directory holds several plans.")
  String planId;

  @Option(
      names = "--plan-version",
      description = "Pinned plan version (default: the highest loaded).")
  Integer version;

  @Option(
      names = "--on-unplanned-event",
      defaultValue = "block",
      description = "allow|flag|block (${DEFAULT-VALUE})")
  String onUnplannedEvent;

  @Option(
      names = "--on-unplanned-property",
      defaultValue = "keep",
      description = "keep|omit (${DEFAULT-VALUE})")
  String onUnplannedProperty;

  @Option(
      names = "--on-invalid-value",
      defaultValue = "block",
      description = "flag|omit_property|block (${DEFAULT-VALUE})")
  String onInvalidValue;

  @Parameters(arity = "1..*", paramLabel = "EVENTS", description = "NDJSON files of events.")
  List<Path> eventFiles;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LineFormat lineFormat = formats.get(format);
    if (lineFormat == null) {
      err.println(
          "option error: unknown --format '"
              + format
              + "'; one of: "
              + String.join(", ", formats.keySet()));
      return PlanCommand.EXIT_BAD_PLAN;
    }
    TrackingPlans plans;
    if (Files.isDirectory(plan)) {
      plans = TrackingPlans.open(plan);
      if (!plans.lastReload().ok()) {
        plans.lastReload().failures().forEach(f -> err.println("plan error: " + f.getMessage()));
        return PlanCommand.EXIT_BAD_PLAN;
      }
    } else {
      try {
        plans = TrackingPlans.loadStrict(plan);
      } catch (PlanLoadException e) {
        err.println("plan error: " + e.getMessage());
        return PlanCommand.EXIT_BAD_PLAN;
      }
    }
    Set<String> ids = plans.catalog().all().keySet();
    String id = planId;
    if (id == null) {
      if (ids.size() != 1) {
        err.println(
            "plan error: "
                + (ids.isEmpty()
                    ? "no plans found in " + plan
                    : "several plans " + ids + " loaded; choose one with --plan-id"));
        return PlanCommand.EXIT_BAD_PLAN;
      }
      id = ids.iterator().next();
    }
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("id", id);
    if (version != null) {
      settings.put("version", version);
    }
    settings.put("on_unplanned_event", onUnplannedEvent);
    settings.put("on_unplanned_property", onUnplannedProperty);
    settings.put("on_invalid_value", onInvalidValue);
    Enforcer enforcer;
    try {
      enforcer =
          plans.enforcer("plan-check", settings, new SimpleMeterRegistry(), new ViolationLog(1));
    } catch (IllegalArgumentException e) {
      err.println("option error: " + e.getMessage());
      return PlanCommand.EXIT_BAD_PLAN;
    }
    if (plans.versions(id).isEmpty()
        || (version != null && !plans.versions(id).contains(version))) {
      err.println(
          "plan error: plan '"
              + id
              + "'"
              + (version == null ? "" : " version " + version)
              + " is not loaded");
      return PlanCommand.EXIT_BAD_PLAN;
    }

    Map<Decision.Outcome, Integer> outcomes = new EnumMap<>(Decision.Outcome.class);
    Map<List<String>, Integer> rows =
        new TreeMap<>((a, b) -> String.join("\u0000", a).compareTo(String.join("\u0000", b)));
    List<String> unreadable = new ArrayList<>();
    int total = 0;
    for (Path file : eventFiles) {
      try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        String line;
        int lineNo = 0;
        while ((line = reader.readLine()) != null) {
          lineNo++;
          if (line.isBlank()) {
            continue;
          }
          List<Read> read;
          try {
            read = lineFormat.read(line);
          } catch (IllegalArgumentException e) {
            total++;
            unreadable.add(file.getFileName() + ":" + lineNo + ": " + firstLine(e.getMessage()));
            continue;
          }
          for (int i = 0; i < read.size(); i++) {
            total++;
            Read r = read.get(i);
            if (r.event() == null) {
              unreadable.add(
                  file.getFileName()
                      + ":"
                      + lineNo
                      + (read.size() > 1 ? " event " + i : "")
                      + ": "
                      + r.problem());
              continue;
            }
            count(enforcer, r.event(), outcomes, rows);
          }
        }
      } catch (IOException e) {
        err.println("cannot read " + file + ": " + e.getMessage());
        return PlanCommand.EXIT_BAD_PLAN;
      }
    }
    return report(out, id, plans, total, outcomes, rows, unreadable);
  }

  private static void count(
      Enforcer enforcer,
      Event event,
      Map<Decision.Outcome, Integer> outcomes,
      Map<List<String>, Integer> rows) {
    Decision d = enforcer.evaluate(event);
    outcomes.merge(d.outcome(), 1, Integer::sum);
    for (Violation v : d.violations()) {
      String action = action(v.type(), enforcer.policy());
      rows.merge(
          List.of(String.valueOf(event.eventType()), v.field(), v.type(), action), 1, Integer::sum);
    }
  }

  private static int report(
      PrintWriter out,
      String id,
      TrackingPlans plans,
      int total,
      Map<Decision.Outcome, Integer> outcomes,
      Map<List<String>, Integer> rows,
      List<String> unreadable) {
    out.printf(
        "Checked %d events against %s (versions %s): %d passed, %d flagged, %d trimmed, %d blocked, "
            + "%d unreadable%n",
        total,
        id,
        plans.versions(id),
        outcomes.getOrDefault(Decision.Outcome.PASS, 0),
        outcomes.getOrDefault(Decision.Outcome.FLAGGED, 0),
        outcomes.getOrDefault(Decision.Outcome.TRIMMED, 0),
        outcomes.getOrDefault(Decision.Outcome.BLOCKED, 0),
        unreadable.size());
    if (!rows.isEmpty()) {
      out.println();
      printTable(out, rows);
    }
    for (String u : unreadable) {
      out.println("unreadable " + u);
    }
    out.flush();
    boolean blocked = outcomes.getOrDefault(Decision.Outcome.BLOCKED, 0) > 0;
    return blocked || !unreadable.isEmpty() ? 1 : 0;
  }

  private static String action(String type, Policy policy) {
    return switch (type) {
      case Checker.UNPLANNED_EVENT -> policy.onUnplannedEvent().name().toLowerCase(Locale.ROOT);
      case Checker.UNPLANNED_PROPERTY ->
          policy.onUnplannedProperty().name().toLowerCase(Locale.ROOT);
      default -> policy.onInvalidValue().name().toLowerCase(Locale.ROOT);
    };
  }

  private static void printTable(PrintWriter out, Map<List<String>, Integer> rows) {
    String[] headers = {"EVENT TYPE", "FIELD", "VIOLATION", "COUNT", "ACTION"};
    int[] widths = new int[headers.length];
    for (int i = 0; i < headers.length; i++) {
      widths[i] = headers[i].length();
    }
    for (Map.Entry<List<String>, Integer> row : rows.entrySet()) {
      List<String> k = row.getKey();
      widths[0] = Math.max(widths[0], k.get(0).length());
      widths[1] = Math.max(widths[1], k.get(1).length());
      widths[2] = Math.max(widths[2], k.get(2).length());
      widths[3] = Math.max(widths[3], String.valueOf(row.getValue()).length());
    }
    String format =
        "%-" + widths[0] + "s  %-" + widths[1] + "s  %-" + widths[2] + "s  %" + widths[3]
            + "s  %s%n";
    out.printf(format, (Object[]) headers);
    for (Map.Entry<List<String>, Integer> row : rows.entrySet()) {
      List<String> k = row.getKey();
      out.printf(format, k.get(0), k.get(1), k.get(2), row.getValue(), k.get(3));
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
