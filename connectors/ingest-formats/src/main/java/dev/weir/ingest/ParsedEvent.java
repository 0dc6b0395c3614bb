package dev.weir.ingest;

import dev.weir.sdk.Event;
import java.util.List;

/**
 * One incoming event after parsing: the event, or the problems that keep it out. Immutable.
 *
 * @param event the mapped event; null when there are problems
 * @param problems empty when the event is good
 */
public record ParsedEvent(Event event, List<FieldProblem> problems) {
  public ParsedEvent {
    problems = List.copyOf(problems);
    if ((event == null) == problems.isEmpty()) {
      throw new IllegalArgumentException("exactly one of an event or problems");
    }
  }

  static ParsedEvent of(Event event) {
    return new ParsedEvent(event, List.of());
  }

  static ParsedEvent rejected(List<FieldProblem> problems) {
    return new ParsedEvent(null, problems);
  }

  public boolean ok() {
    return event != null;
  }

  /** The problems as one line, for logs and dead letters. */
  public String reason() {
    return String.join("; ", problems.stream().map(FieldProblem::toString).toList());
  }
}
