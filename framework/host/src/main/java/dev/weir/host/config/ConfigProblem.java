package dev.weir.host.config;

/**
 * One thing wrong with a workspace, located by file, connection and path. Immutable.
 *
 * @param file the workspace file name as the user gave it
 * @param where the connection ({@code destination 'crm-hook'}) or empty for top-level keys
 * @param path the JSON path inside it, such as {@code settings.url}
 * @param message what is wrong, for people; never contains secret values
 */
public record ConfigProblem(String file, String where, String path, String message) {
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(file).append(": ");
    if (!where.isEmpty()) {
      sb.append(where).append(": ");
    }
    if (!path.isEmpty()) {
      sb.append(path).append(": ");
    }
    return sb.append(message).toString();
  }
}
