/**
 * The {@code weir} command line (picocli): run, quickstart, config, plugins, replay, destinations,
 * dead letters, bench; more commands through {@link dev.weir.host.cli.CliExtension}.
 */
package dev.weir.host.cli;
