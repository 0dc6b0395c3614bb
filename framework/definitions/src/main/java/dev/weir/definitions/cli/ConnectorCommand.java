package dev.weir.definitions.cli;

import picocli.CommandLine.Command;

/**
 * {@code weir connector ...}: tools for partners writing definitions. The host mounts this as a
 * subcommand; standalone, run {@code new CommandLine(new ConnectorCommand()).execute(args)}. Exit
 * codes: 0 success, 1 a check failed (invalid definition, fixture mismatch, breaking change), 2
 * usage error.
 */
@Command(
    name = "connector",
    mixinStandardHelpOptions = true,
    description = "List, validate, dry-run, send and compare partner connector definitions.",
    subcommands = {
      ValidateCommand.class,
      TestCommand.class,
      SendCommand.class,
      UpgradeCheckCommand.class,
      ListCommand.class
    })
public final class ConnectorCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
