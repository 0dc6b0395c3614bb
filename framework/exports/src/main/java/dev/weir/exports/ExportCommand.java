package dev.weir.exports;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weir export --destination X --from T1 --to T2}: re-exports (backfills) the chunks
 * overlapping a time range to one batch destination, with a progress bar on stderr. Times are
 * ISO-8601 instants ({@code 2026-11-20T00:00:00Z}), dates ({@code 2026-11-20}, midnight UTC) or
 * epoch milliseconds. Exit codes: 0 done, 1 the export failed, 2 bad arguments. The host mounts it
 * with the {@link Backfiller} of its running {@link ExportScheduler} ({@code scheduler::backfill}).
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Re-export (backfill) a time range of sealed chunks to a batch destination.")
public final class ExportCommand implements Callable<Integer> {
  /** Runs a backfill; {@link ExportScheduler#backfill} is one. */
  @FunctionalInterface
  public interface Backfiller {
    BackfillReport backfill(String destination, long fromTime, long toTime, ExportProgress progress)
        throws Exception;
  }

  private final Backfiller backfiller;

  @Spec CommandSpec spec;

  @Option(names = "--destination", required = true, description = "The batch destination's id.")
  String destination;

  @Option(names = "--from", required = true, description = "Start of the range (inclusive).")
  String from;

  @Option(names = "--to", required = true, description = "End of the range (exclusive).")
  String to;

  @Option(names = "--no-progress", description = "Do not draw a progress bar.")
  boolean noProgress;

  public ExportCommand(Backfiller backfiller) {
    this.backfiller = Objects.requireNonNull(backfiller, "backfiller");
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long fromMs;
    long toMs;
    try {
      fromMs = parseTime("--from", from);
      toMs = parseTime("--to", to);
      if (toMs <= fromMs) {
        throw new IllegalArgumentException("--to (" + to + ") must be after --from (" + from + ")");
      }
    } catch (IllegalArgumentException e) {
      err.println("weir export: " + e.getMessage());
      return 2;
    }
    ProgressBar bar =
        noProgress
            ? null
            : new ProgressBarBuilder()
                .setTaskName("export " + destination)
                .setUnit(" chunks", 1)
                .setInitialMax(0)
                .continuousUpdate()
                .setConsumer(
                    new DelegatingProgressBarConsumer(
                        line -> {
                          err.print("\r" + line);
                          err.flush();
                        }))
                .build();
    try {
      BackfillReport r =
          backfiller.backfill(
              destination,
              fromMs,
              toMs,
              (done, total, rows) -> {
                if (bar != null) {
                  bar.maxHint(total);
                  bar.stepTo(done);
                  bar.setExtraMessage(rows + " rows");
                }
              });
      if (bar != null) {
        bar.close();
        err.println();
      }
      out.printf(
          "exported %d chunks to %s: %d rows loaded, %d rows refused (dead-lettered)%n",
          r.chunks(), r.destination(), r.rowsLoaded(), r.rowsRejected());
      return 0;
    } catch (IllegalArgumentException e) {
      closeQuietly(bar, err);
      err.println("weir export: " + e.getMessage());
      return 2;
    } catch (Exception e) {
      closeQuietly(bar, err);
      err.println("weir export: failed: " + e.getMessage());
      return 1;
    }
  }

  private static void closeQuietly(ProgressBar bar, PrintWriter err) {
    if (bar != null) {
      bar.close();
      err.println();
    }
  }

  static long parseTime(String option, String value) {
    String v = value.trim();
    if (v.matches("\\d+")) {
      return Long.parseLong(v);
    }
    try {
      if (v.length() == 10) {
        return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      }
      return Instant.parse(v).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          option
              + " '"
              + value
              + "' is not an ISO-8601 instant "
              + "(2026-11-20T00:00:00Z), a date (2026-11-20) or epoch milliseconds");
    }
  }
}
