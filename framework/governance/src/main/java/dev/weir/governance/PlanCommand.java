package dev.weir.governance;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code weir plan}: tracking-plan tools for governance teams ({@code check}, {@code diff}). The
 * host mounts it as a subcommand; on its own: {@code new CommandLine(new
 * PlanCommand()).execute(args)}. Each execution is independent.
 */
@Command(
    name = "plan",
    description = "Tracking-plan tools: validate events offline, review plan changes.",
    mixinStandardHelpOptions = true,
    subcommands = {PlanCheckCommand.class, PlanDiffCommand.class})
public final class PlanCommand implements Runnable {
  @Spec CommandSpec spec;

  /** Exit code when the plan files themselves cannot be loaded. */
  public static final int EXIT_BAD_PLAN = 2;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing subcommand: check or diff");
  }

  /**
   * {@code weir plan} whose {@code check} also reads these payload formats ({@code --format
   * amplitude}); the host passes its ingest formats.
   */
  public static CommandLine commandLine(
      java.util.Map<String, PlanCheckCommand.LineFormat> formats) {
    CommandLine.IFactory fallback = CommandLine.defaultFactory();
    return new CommandLine(
        new PlanCommand(),
        new CommandLine.IFactory() {
          @Override
          @SuppressWarnings("unchecked")
          public <K> K create(Class<K> cls) throws Exception {
            return cls == PlanCheckCommand.class
                ? (K) new PlanCheckCommand(formats)
                : fallback.create(cls);
          }
        });
  }

  /** Runs {@code weir plan ...} as a standalone program. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new PlanCommand()).execute(args));
  }
}
