package dev.weir.definitions.cli;

import dev.weir.definitions.Definition;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code connector validate def.yaml...}: schema and semantic checks; every problem with file, line
 * and path.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = "Check definitions: structure, expressions, settings references, fixtures.")
public final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "DEFINITION", description = "definition YAML files")
  List<Path> files;

  @Override
  public Integer call() {
    int failed = 0;
    for (Path f : files) {
      Definition d = CommandFiles.load(f, spec.commandLine().getErr());
      if (d == null) {
        failed++;
      } else {
        spec.commandLine()
            .getOut()
            .println(
                f
                    + ": ok ("
                    + d.kind()
                    + " "
                    + d
                    + ", actions "
                    + d.actionNames()
                    + ", auth "
                    + d.authKind()
                    + ")");
      }
    }
    spec.commandLine().getOut().flush();
    return failed == 0 ? 0 : 1;
  }
}
