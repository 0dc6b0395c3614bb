package dev.weir.host.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code weir run --workspace <file>}: runs a workspace in the foreground. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run Weir with a workspace file.")
final class RunCommand implements Callable<Integer> {
  @Option(
      names = {"-w", "--workspace"},
      required = true,
      paramLabel = "<file>",
      description = "Workspace YAML file.")
  Path workspace;

  @Option(
      names = "--watch",
      description =
          "Reload the workspace whenever its file changes (as weir reload does; a refused change "
              + "is logged and changes nothing).")
  boolean watch;

  @Override
  public Integer call() {
    return Runner.run(workspace, Map.of(), false, watch, System.out, System.err);
  }
}
