package dev.weir.host.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code weir store stats}: what a <b>running</b> Weir's store holds and keeps, and why (through
 * its admin API, {@code GET /api/v1/store}). The token comes from {@code --token} or {@code
 * WEIR_ADMIN_TOKEN}.
 */
@Command(
    name = "store",
    mixinStandardHelpOptions = true,
    description = "Show the store of a running Weir (through its admin API).",
    subcommands = {StoreCommand.Stats.class})
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
}
