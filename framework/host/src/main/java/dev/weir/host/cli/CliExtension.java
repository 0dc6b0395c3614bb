package dev.weir.host.cli;

/**
 * A subcommand contributed by another module (such as governance's {@code plan} or the delivery
 * engine's {@code replay}): list the implementation in {@code
 * META-INF/services/dev.weir.host.cli.CliExtension} and the {@code weir} command picks it up.
 * Implementations need a public no-argument constructor.
 */
public interface CliExtension {
  /** The subcommand name, such as {@code plan}. */
  String name();

  /** A picocli command object ({@code @Command}-annotated instance). */
  Object command();
}
