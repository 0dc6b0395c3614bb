package dev.weir.sdk;

import java.util.List;

/**
 * A wire format of events, such as Amplitude's or Segment's, that the host's offline tools read
 * ({@code weir replay-file --format}, {@code weir plan check --format}). Implementations are found
 * with {@link java.util.ServiceLoader} ({@code META-INF/services/dev.weir.sdk.EventFormat}) on the
 * host's class path; the built-in ones come with the HTTP source's formats. Implementations are
 * stateless and thread-safe.
 */
public interface EventFormat {
  /** The name given to {@code --format}, such as {@code amplitude}. */
  String name();

  /**
   * The events of one JSON text (a request body holding several, or one event object), in order,
   * each an event or the problems that keep it out.
   *
   * @param json the text
   * @param receivedAtMillis the receive time to stamp where the format does
   * @throws IllegalArgumentException when the text as a whole cannot be read
   */
  List<Parsed> parse(String json, long receivedAtMillis);

  /**
   * One event of a payload, or why it is not one. Immutable.
   *
   * @param event the event; null when there are problems
   * @param problems what keeps it out, for people; empty when the event is good
   */
  record Parsed(Event event, List<String> problems) {
    public Parsed {
      problems = List.copyOf(problems);
      if ((event == null) == problems.isEmpty()) {
        throw new IllegalArgumentException("exactly one of an event or problems");
      }
    }
  }
}
