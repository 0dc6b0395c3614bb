package dev.weir.host.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code weir audiences list|sync <name>}: the audience syncs of a <b>running</b> Weir (the
 * workspace's {@code audiences:}), through its admin API.
 */
@Command(
    name = "audiences",
    mixinStandardHelpOptions = true,
    description = "List the audience syncs of a running Weir, or sync one now (admin API).",
    subcommands = {AudiencesCommand.ListAudiences.class, AudiencesCommand.Sync.class})
final class AudiencesCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Each audience: destination, members, last sync, last error.")
  static final class ListAudiences implements Callable<Integer> {
    @Mixin AdminClient admin;

    @Override
    public Integer call() {
      return admin.call("GET", null, "api", "v1", "audiences");
    }
  }

  @Command(
      name = "sync",
      mixinStandardHelpOptions = true,
      description =
          "Compute the audience now and send who entered and who left to its destination.")
  static final class Sync implements Callable<Integer> {
    @Mixin AdminClient admin;

    @Parameters(index = "0", paramLabel = "<audience name>", converter = IdArgument.class)
    String name;

    @Override
    public Integer call() {
      return admin.call("POST", "{}", "api", "v1", "audiences", name, "sync");
    }
  }
}
