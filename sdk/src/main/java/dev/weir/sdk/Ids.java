package dev.weir.sdk;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Identifiers are names, never paths. Every id Weir takes from a request, a workspace or a command
 * line (source, destination, connection, definition, plugin, job) matches {@link #PATTERN}: 1 to
 * 128 letters, digits, {@code _}, {@code .} or {@code -}, starting with a letter or digit; so an id
 * has no separator, is never {@code .} or {@code ..} and never absolute. {@link #file} is the one
 * way an id becomes a file: it checks the id, resolves it under a root, normalises the result and
 * refuses anything that is not directly inside the root. Stateless and thread-safe.
 */
public final class Ids {
  /** The pattern every id matches (a regular expression, matched whole). */
  public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9_.-]{0,127}";

  private static final Pattern ID = Pattern.compile(PATTERN);

  private Ids() {}

  /** Whether {@code id} is a valid id. */
  public static boolean isValid(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /**
   * Returns {@code id} when valid.
   *
   * @param kind what the id names, for the message ("destination id")
   * @throws IllegalArgumentException saying what an id may contain (the offending value is quoted,
   *     escaped and cut to 64 characters)
   */
  public static String require(String kind, String id) {
    if (!isValid(id)) {
      throw new IllegalArgumentException(
          kind
              + " "
              + quote(id)
              + " is not a valid id: 1-128 letters, digits, '_', '.' or '-', starting with a"
              + " letter or digit");
    }
    return id;
  }

  /**
   * The file {@code <root>/<id><suffix>}, for a valid id only, and only when it lies directly
   * inside {@code root} after normalisation.
   *
   * @param suffix appended to the id, such as {@code ".ndjson"}; may be empty but holds no
   *     separator
   * @throws IllegalArgumentException when the id is invalid or the file would fall outside the root
   */
  public static Path file(Path root, String id, String suffix) {
    require("id", id);
    Objects.requireNonNull(suffix, "suffix");
    Path base = root.toAbsolutePath().normalize();
    Path target = base.resolve(id + suffix).normalize();
    if (!base.equals(target.getParent())) {
      throw new IllegalArgumentException(
          quote(id + suffix) + " would fall outside " + base + "; refused");
    }
    return target;
  }

  private static String quote(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder("'");
    int n = Math.min(s.length(), 64);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\'' || c == '\\') {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append(s.length() > n ? "...'" : "'").toString();
  }
}
