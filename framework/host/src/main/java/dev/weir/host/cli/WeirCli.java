package dev.weir.host.cli;

import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code weir} command line: {@code run}, {@code quickstart}, {@code plugins list}, {@code
 * config validate}, {@code replay-file}, {@code replay}, {@code dead-letters}, {@code plan}
 * (governance), {@code connector} (partner definitions), {@code bench ingest|delivery}, {@code
 * loadgen} (same as {@code bench ingest}), plus any {@link CliExtension} found on the class path.
 * Exit codes: 0 success, 1 failure at run time, 2 invalid configuration or plugins, 64 usage error.
 */
@Command(
    name = "weir",
    mixinStandardHelpOptions = true,
    versionProvider = WeirCli.Version.class,
    description = "Weir: self-hosted event integration (ingest, govern, deliver).",
    subcommands = {
      RunCommand.class,
      QuickstartCommand.class,
      PluginsCommand.class,
      ConfigCommand.class,
      LoadgenCommand.class,
      ReplayFileCommand.class,
      ReplayCommand.class,
      DeadLettersCommand.class,
      ExportHostCommand.class,
      QueryCommand.class,
      DestinationsCommand.class,
      ReloadCommand.class,
      AudiencesCommand.class,
      StoreCommand.class,
      UsersCommand.class,
      ClusterCommand.class,
      CommandLine.HelpCommand.class
    })
public final class WeirCli implements Runnable {
  static final int CONFIG_ERROR = 2;
  static final int RUN_ERROR = 1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The full command tree, extensions included. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new WeirCli());
    cl.setUsageHelpAutoWidth(true);
    cl.addSubcommand("plan", dev.weir.governance.PlanCommand.commandLine(PlanFormats.all()));
    cl.addSubcommand("connector", new dev.weir.definitions.cli.ConnectorCommand());
    cl.addSubcommand("bench", BenchCommand.withIngest(new CommandLine(new BenchCommand())));
    for (CliExtension ext : ServiceLoader.load(CliExtension.class)) {
      cl.addSubcommand(ext.name(), ext.command());
    }
    CommandLine.IExecutionStrategy run = new CommandLine.RunLast();
    cl.setExecutionStrategy(pr -> unknownCommand(pr) ? USAGE_ERROR : run.execute(pr));
    return cl;
  }

  static final int USAGE_ERROR = 64;

  /**
   * True (after telling the user) when a word in command position names no command: picocli would
   * otherwise show the parent's help and exit 0 when {@code --help} follows it.
   */
  private static boolean unknownCommand(CommandLine.ParseResult pr) {
    CommandLine.ParseResult last = pr;
    while (last.hasSubcommand()) {
      last = last.subcommand();
    }
    CommandLine cmd = last.commandSpec().commandLine();
    if (cmd.getSubcommands().isEmpty() || last.unmatched().isEmpty()) {
      return false;
    }
    String word = last.unmatched().get(0);
    if (word.startsWith("-")) {
      return false;
    }
    java.io.PrintWriter err = cmd.getErr();
    err.println(
        "Unknown command '"
            + word
            + "' for '"
            + last.commandSpec().qualifiedName()
            + "'; commands: "
            + String.join(", ", cmd.getSubcommands().keySet()));
    err.flush();
    return true;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The version from the jar manifest, or "development". */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = WeirCli.class.getPackage().getImplementationVersion();
      return new String[] {"weir " + (v == null ? "0.1.0-SNAPSHOT" : v)};
    }
  }
}
