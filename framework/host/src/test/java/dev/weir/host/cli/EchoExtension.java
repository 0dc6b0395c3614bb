package dev.weir.host.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A subcommand contributed the way other modules contribute theirs (listed in META-INF/services).
 */
public final class EchoExtension implements CliExtension {
  @Override
  public String name() {
    return "echo-test";
  }

  @Override
  public Object command() {
    return new Echo();
  }

  @Command(name = "echo-test", description = "Prints its argument (test extension).")
  static final class Echo implements Callable<Integer> {
    @Parameters(index = "0")
    String word;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().getOut().println("echo: " + word);
      spec.commandLine().getOut().flush();
      return 7;
    }
  }
}
