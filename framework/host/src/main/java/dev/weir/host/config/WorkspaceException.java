package dev.weir.host.config;

import java.util.List;
import java.util.stream.Collectors;

/** A workspace could not be used: every problem found, all at once. Nothing was started. */
public final class WorkspaceException extends Exception {
  private final List<ConfigProblem> problems;

  public WorkspaceException(List<ConfigProblem> problems) {
    super(
        problems.size()
            + " problem(s) in the workspace:\n  "
            + problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n  ")));
    this.problems = List.copyOf(problems);
  }

  public List<ConfigProblem> problems() {
    return problems;
  }
}
