package dev.weir.definitions;

import java.util.Objects;

/**
 * One mistake in a definition file, located precisely: the file, the 1-based line and column of the
 * offending node, its path (a JSON pointer such as {@code /requests/0/method}) and what was
 * expected. Immutable.
 *
 * @param file the file name as given to the parser
 * @param line 1-based line of the offending node, or 0 when the file could not be read at all
 * @param column 1-based column, or 0
 * @param path JSON pointer of the node ({@code ""} for the document root)
 * @param message what is wrong and what was expected
 */
public record Problem(String file, int line, int column, String path, String message) {
  public Problem {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  /** {@code file:line:column: /path: message}, the form editors and CI logs understand. */
  @Override
  public String toString() {
    return file + ":" + line + ":" + column + ": " + (path.isEmpty() ? "/" : path) + ": " + message;
  }
}
