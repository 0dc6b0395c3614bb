package dev.weir.host.cli;

import dev.weir.delivery.bench.DeliveryBench;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code weir bench ingest|delivery}: the load generators, each with its same-run baseline. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure this machine (ingest, delivery).",
    subcommands = {DeliveryBenchCommand.class})
final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /**
   * Registers {@code ingest} (external load generator, same-run ceilings) under {@code bench}; the
   * older in-JVM client stays as {@code weir loadgen}.
   */
  static CommandLine withIngest(CommandLine bench) {
    bench.addSubcommand("ingest", new IngestBenchCommand());
    return bench;
  }
}

/**
 * {@code weir bench delivery [--events=N --workers=N ...]}: runs the delivery engine's
 * DeliveryBench.
 */
@Command(
    name = "delivery",
    description =
        "Delivery engine throughput against a local HTTP endpoint "
            + "(options as --key=value: events, workers, batch, rate, seconds, delay_ms, partitions).")
final class DeliveryBenchCommand implements Callable<Integer> {
  @Unmatched List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    DeliveryBench.main(args.toArray(String[]::new));
    return 0;
  }
}
