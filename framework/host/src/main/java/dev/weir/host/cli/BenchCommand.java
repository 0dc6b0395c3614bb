package dev.weir.host.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code weir bench ingest}: the host's load generator with its same-run baseline. (The delivery
 * engine's benchmark is benchmark code and lives in the benchmarks module: {@code java -cp
 * benchmarks/target/benchmarks.jar dev.weir.bench.delivery.DeliveryBench}.)
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure this machine (ingest).")
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
