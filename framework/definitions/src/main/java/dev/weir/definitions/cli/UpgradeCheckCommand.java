package dev.weir.definitions.cli;

import dev.weir.definitions.Definition;
import dev.weir.definitions.Definitions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code connector upgrade-check old.yaml new.yaml}: lists breaking changes; exit 1 when there are
 * any.
 */
@Command(
    name = "upgrade-check",
    mixinStandardHelpOptions = true,
    description = "Report breaking changes between two versions of a definition.")
public final class UpgradeCheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "OLD")
  Path older;

  @Parameters(index = "1", paramLabel = "NEW")
  Path newer;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Definition a = CommandFiles.load(older, spec.commandLine().getErr());
    Definition b = CommandFiles.load(newer, spec.commandLine().getErr());
    if (a == null || b == null) {
      return 1;
    }
    List<String> changes = Definitions.breakingChanges(a, b);
    if (changes.isEmpty()) {
      out.println(a + " -> " + b + ": no breaking changes");
    } else {
      out.println(a + " -> " + b + ": " + changes.size() + " breaking change(s)");
      changes.forEach(c -> out.println("  - " + c));
    }
    out.flush();
    return changes.isEmpty() ? 0 : 1;
  }
}
