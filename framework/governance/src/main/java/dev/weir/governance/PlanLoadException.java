package dev.weir.governance;

import java.nio.file.Path;

/**
 * A tracking-plan file that cannot be used: unreadable, not valid YAML, not a plan, or a property
 * schema that does not compile. Names the file, the planned event (null when the problem is not
 * inside one event) and the JSON path of the mistake inside the file, such as {@code $.events['Add
 * To Cart'].event_properties.properties.price.type}.
 */
public final class PlanLoadException extends Exception {
  private final Path file;
  private final String event;
  private final String jsonPath;
  private final String reason;

  public PlanLoadException(Path file, String event, String jsonPath, String reason) {
    super(
        file
            + (event == null ? "" : " (event '" + event + "')")
            + " at "
            + jsonPath
            + ": "
            + reason);
    this.file = file;
    this.event = event;
    this.jsonPath = jsonPath;
    this.reason = reason;
  }

  /** The plan file. */
  public Path file() {
    return file;
  }

  /** The planned event whose schema is wrong, or null. */
  public String event() {
    return event;
  }

  /** Where in the file, as a JSON path starting at {@code $}. */
  public String jsonPath() {
    return jsonPath;
  }

  /** What is wrong, without the location. */
  public String reason() {
    return reason;
  }
}
