package dev.weir.host.cli;

import dev.weir.sdk.Ids;
import picocli.CommandLine;

/**
 * A command-line argument that names a stored object (a destination, source or job id): checked
 * against {@link Ids#PATTERN} before the command runs, so it can never name a path or, in an admin
 * URL, another endpoint. Picocli reports a refused value as a usage error.
 */
final class IdArgument implements CommandLine.ITypeConverter<String> {
  @Override
  public String convert(String value) {
    try {
      return Ids.require("id", value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
