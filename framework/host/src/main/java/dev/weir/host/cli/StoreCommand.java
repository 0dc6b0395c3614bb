package dev.weir.host.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code weir store stats}: what a <b>running</b> Weir's store holds and keeps, and why (through
 * its admin API, {@code GET /api/v1/store}). The token comes from {@code --token} or {@code
 * WEIR_ADMIN_TOKEN}. {@code weir store repartition --to N}: rewrites a <b>stopped</b> Weir's store
 * with another partition count ({@link StoreRepartitionCommand}).
 */
@Command(
    name = "store",
    mixinStandardHelpOptions = true,
    description =
        "Show the store of a running Weir (through its admin API), or repartition a stopped one.",
    subcommands = {StoreCommand.Stats.class, StoreCommand.Repartition.class})
final class StoreCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  @Command(
      name = "stats",
      mixinStandardHelpOptions = true,
      description =
          "Blocks, chunks, dedup window and key index, memory, counters, and what retention keeps"
              + " and why.")
  static final class Stats implements Callable<Integer> {
    @Mixin AdminClient admin;

    @Override
    public Integer call() {
      return admin.call("GET", null, "api", "v1", "store");
    }
  }

  @Command(
      name = "repartition",
      mixinStandardHelpOptions = true,
      description =
          "Rewrite the store of a stopped Weir with another partition count (every event moves to"
              + " its new partition; delivery cursors follow). Then set store.partitions to N.")
  static final class Repartition extends StoreRepartitionCommand {}
}
