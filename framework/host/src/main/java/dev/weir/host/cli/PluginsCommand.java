package dev.weir.host.cli;

import dev.weir.host.plugin.ConnectorRegistry;
import dev.weir.host.plugin.LoadedConnector;
import dev.weir.host.plugin.PluginLoadException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weir plugins list}: every connector with id, version, kind and origin; {@code weir plugins
 * install}: copies a checked plugin jar into the plugins directory, where a running Weir loads it
 * without a restart; {@code weir plugins unload}: unloads one from a running Weir (admin API).
 */
@Command(
    name = "plugins",
    mixinStandardHelpOptions = true,
    description = "Inspect, install and unload connectors and plugins.",
    subcommands = {
      PluginsCommand.ListCommand.class,
      PluginsCommand.InstallCommand.class,
      PluginsCommand.UnloadCommand.class
    })
final class PluginsCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List every connector: built-in and from plugin jars.")
  static final class ListCommand implements Callable<Integer> {
    @Option(
        names = "--plugins-dir",
        paramLabel = "<dir>",
        defaultValue = "plugins",
        description = "Directory of plugin jars (default: ${DEFAULT-VALUE}).")
    Path pluginsDir;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      java.io.PrintWriter out = spec.commandLine().getOut();
      java.io.PrintWriter err = spec.commandLine().getErr();
      try (ConnectorRegistry registry = ConnectorRegistry.load(pluginsDir)) {
        out.print(table(registry.connectors()));
        out.flush();
        return 0;
      } catch (PluginLoadException e) {
        err.println("Plugins could not be loaded:");
        e.problems().forEach(p -> err.println("  " + p));
        err.flush();
        return WeirCli.CONFIG_ERROR;
      }
    }

    static String table(List<LoadedConnector> connectors) {
      int id = "ID".length();
      int ver = "VERSION".length();
      int kind = "KIND".length();
      for (LoadedConnector c : connectors) {
        id = Math.max(id, c.id().length());
        ver = Math.max(ver, c.version().length());
        kind = Math.max(kind, c.kindLabel().length());
      }
      String fmt = "%-" + id + "s  %-" + ver + "s  %-" + kind + "s  %s%n";
      StringBuilder sb = new StringBuilder(String.format(fmt, "ID", "VERSION", "KIND", "ORIGIN"));
      for (LoadedConnector c : connectors) {
        sb.append(String.format(fmt, c.id(), c.version(), c.kindLabel(), c.origin()));
      }
      return sb.toString();
    }
  }

  @Command(
      name = "install",
      mixinStandardHelpOptions = true,
      description =
          "Check a plugin jar and copy it into the plugins directory; a running Weir loads it there "
              + "without a restart, beside older versions.")
  static final class InstallCommand implements Callable<Integer> {
    @picocli.CommandLine.Parameters(
        paramLabel = "<plugin.jar>",
        description = "The plugin jar to install.")
    Path file;

    @Option(
        names = "--plugins-dir",
        paramLabel = "<dir>",
        defaultValue = "plugins",
        description = "The workspace's plugins_dir (default: ${DEFAULT-VALUE}).")
    Path pluginsDir;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      java.io.PrintWriter out = spec.commandLine().getOut();
      java.io.PrintWriter err = spec.commandLine().getErr();
      try {
        Path target = ConnectorRegistry.install(file, pluginsDir);
        out.println(
            "Installed "
                + target
                + " (a running Weir with this plugins_dir loads it within seconds)");
        out.flush();
        return 0;
      } catch (PluginLoadException e) {
        err.println("Plugin not installed:");
        e.problems().forEach(p -> err.println("  " + p));
        err.flush();
        return WeirCli.CONFIG_ERROR;
      }
    }
  }

  @Command(
      name = "unload",
      mixinStandardHelpOptions = true,
      description =
          "Unload a plugin jar from a running Weir (through its admin API); refused while a "
              + "connection uses it, naming the connections. The jar stays in the plugins directory.")
  static final class UnloadCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin AdminClient admin;

    @picocli.CommandLine.Parameters(
        index = "0",
        paramLabel = "<connector id>",
        converter = IdArgument.class)
    String id;

    @picocli.CommandLine.Parameters(
        index = "1",
        paramLabel = "<version>",
        converter = IdArgument.class)
    String version;

    @Override
    public Integer call() {
      return admin.call("DELETE", null, "api", "v1", "plugins", id, version);
    }
  }
}
