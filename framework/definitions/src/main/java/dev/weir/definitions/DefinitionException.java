package dev.weir.definitions;

import java.util.List;
import java.util.stream.Collectors;

/** A definition file that cannot be used, with every problem found in it (never just the first). */
public final class DefinitionException extends Exception {
  private final transient List<Problem> problems;

  public DefinitionException(List<Problem> problems) {
    super(
        problems.size()
            + " problem(s):\n"
            + problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  /** All problems, in file order. */
  public List<Problem> problems() {
    return problems;
  }
}
