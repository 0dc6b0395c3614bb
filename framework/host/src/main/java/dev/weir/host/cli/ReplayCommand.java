package dev.weir.host.cli;

import dev.weir.delivery.JobResult;
import dev.weir.delivery.ReplayRange;
import dev.weir.host.Weir;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weir replay --workspace W --destination X --from T1 --to T2}: sends the stored events
 * whose time lies in [T1, T2) to one destination again, with a progress bar. Runs offline on the
 * workspace's store (stop a running Weir first); the destination's live cursor is not moved.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = "Send stored events of a time range to a destination again.")
final class ReplayCommand implements Callable<Integer> {
  @Option(
      names = {"-w", "--workspace"},
      required = true,
      paramLabel = "<file>",
      description = "Workspace YAML file.")
  Path workspace;

  @Option(
      names = "--destination",
      required = true,
      description = "The streaming destination id.",
      converter = IdArgument.class)
  String destination;

  @Option(
      names = "--from",
      required = true,
      description = "Start (inclusive), ISO-8601, e.g. 2026-11-21T00:00:00Z.")
  Instant from;

  @Option(names = "--to", required = true, description = "End (exclusive), ISO-8601.")
  Instant to;

  @Option(names = "--no-progress", description = "No progress bar.")
  boolean noProgress;

  @Override
  public Integer call() throws Exception {
    if (!from.isBefore(to)) {
      System.err.println("--from must be before --to");
      return 64;
    }
    Weir weir = Offline.start(workspace, Duration.ofSeconds(30), System.err);
    if (weir == null) {
      return WeirCli.CONFIG_ERROR;
    }
    try (weir) {
      if (!weir.delivery().destinations().contains(destination)) {
        System.err.println(
            "unknown or not running streaming destination '"
                + destination
                + "' (running: "
                + weir.delivery().destinations()
                + ")");
        return 64;
      }
      ProgressBar bar =
          noProgress
              ? null
              : new ProgressBarBuilder()
                  .setTaskName("replay " + destination)
                  .setStyle(ProgressBarStyle.ASCII)
                  .showSpeed()
                  .setInitialMax(-1)
                  .build();
      try {
        CompletableFuture<JobResult> job =
            weir.delivery()
                .replay(
                    destination,
                    ReplayRange.ofTime(from, to),
                    (done, total) -> {
                      if (bar != null) {
                        bar.maxHint(total);
                        bar.stepTo(done);
                      }
                    });
        JobResult r = job.get();
        System.out.printf(
            "Replayed to %s: %d selected, %d delivered, %d dead-lettered%s%n",
            destination,
            r.selected(),
            r.delivered(),
            r.deadLettered(),
            r.cancelled() ? " (cancelled)" : "");
        return r.cancelled() ? WeirCli.RUN_ERROR : 0;
      } finally {
        if (bar != null) {
          bar.close();
        }
      }
    }
  }
}
