package dev.weir.governance;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weir plan diff old.yaml new.yaml}: lists what changed between two plan files, marking
 * breaking changes (removed event, newly required property, narrowed type, enum or range). Exit
 * code 0, or 1 with {@code --fail-on-breaking} when a change is breaking, 2 when a file does not
 * load.
 */
@Command(
    name = "diff",
    description = "List the changes between two plan files; breaking ones are marked BREAKING.",
    mixinStandardHelpOptions = true)
public final class PlanDiffCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "OLD", description = "The plan file before the change.")
  Path oldFile;

  @Parameters(index = "1", paramLabel = "NEW", description = "The plan file after the change.")
  Path newFile;

  @Option(
      names = "--fail-on-breaking",
      description = "Exit 1 when any change is breaking (for CI).")
  boolean failOnBreaking;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PlanParser parser = new PlanParser(SchemaCompiler.standard());
    CompiledPlan before;
    CompiledPlan after;
    try {
      before = parser.parse(oldFile);
      after = parser.parse(newFile);
    } catch (PlanLoadException e) {
      err.println("plan error: " + e.getMessage());
      return PlanCommand.EXIT_BAD_PLAN;
    }
    out.printf(
        "%s: version %d -> %s%s%n",
        before.id(),
        before.version(),
        after.id().equals(before.id()) ? "" : after.id() + " ",
        after.version());
    List<PlanDiff.Change> changes = PlanDiff.diff(before.raw(), after.raw());
    int width = changes.stream().mapToInt(c -> c.kind().length()).max().orElse(0);
    long breaking = 0;
    for (PlanDiff.Change c : changes) {
      breaking += c.breaking() ? 1 : 0;
      String line =
          String.format(
              "%-9s %-" + width + "s  %s%s",
              c.breaking() ? "BREAKING" : "",
              c.kind(),
              c.subject(),
              c.detail().isEmpty() ? "" : " (" + c.detail() + ")");
      out.println(line.stripTrailing());
    }
    out.printf(
        "%d breaking, %d other change%s%n",
        breaking, changes.size() - breaking, changes.size() - breaking == 1 ? "" : "s");
    out.flush();
    return failOnBreaking && breaking > 0 ? 1 : 0;
  }
}
