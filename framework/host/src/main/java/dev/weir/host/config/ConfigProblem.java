package dev.weir.host.config;

/**
 * One thing wrong with a workspace, located by file, line and column (when known), connection and
 * path. Immutable.
 *
 * @param file the workspace file name as the user gave it
 * @param line 1-based line of the offending key or value, or 0 when not known
 * @param column 1-based column, or 0
 * @param where the connection ({@code destination 'crm-hook'}) or empty for top-level keys
 * @param path the JSON path inside it, such as {@code settings.url}
 * @param message what is wrong, for people; never contains secret values
 */
public record ConfigProblem(
    String file, int line, int column, String where, String path, String message) {

  /** A problem without a line and column. */
  public ConfigProblem(String file, String where, String path, String message) {
    this(file, 0, 0, where, path, message);
  }

  /** {@code file:line:column: where: path: message}, leaving out what is not known. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(file);
    if (line > 0) {
      sb.append(':').append(line).append(':').append(column);
    }
    sb.append(": ");
    if (!where.isEmpty()) {
      sb.append(where).append(": ");
    }
    if (!path.isEmpty()) {
      sb.append(path).append(": ");
    }
    return sb.append(message).toString();
  }
}
