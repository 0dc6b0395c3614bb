package dev.weir.host.cli;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.weir.host.Weir;
import dev.weir.host.config.ConfigProblem;
import dev.weir.host.config.Workspace;
import dev.weir.host.config.WorkspaceException;
import dev.weir.host.plugin.PluginLoadException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code weir config validate <workspace> [--print]}: checks a workspace without starting anything.
 */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Check workspace files.",
    subcommands = ConfigCommand.ValidateCommand.class)
final class ConfigCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description =
          "Validate a workspace: keys, references, routes, connector settings. Starts nothing.")
  static final class ValidateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<workspace>", description = "Workspace YAML file.")
    Path workspace;

    @Option(names = "--print", description = "Print the resolved workspace, secrets shown as ***.")
    boolean print;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      java.io.PrintWriter out = spec.commandLine().getOut();
      java.io.PrintWriter err = spec.commandLine().getErr();
      try {
        return validate(out, err);
      } finally {
        out.flush();
        err.flush();
      }
    }

    private int validate(java.io.PrintWriter out, java.io.PrintWriter err) throws Exception {
      try (Weir.Loaded loaded = Weir.load(workspace, System::getenv)) {
        Workspace ws = loaded.workspace();
        if (print) {
          out.print(new YAMLMapper().writeValueAsString(ws.printable()));
        }
        out.println(
            "OK: "
                + workspace
                + " is valid ("
                + ws.sources().size()
                + " source(s), "
                + ws.destinations().size()
                + " destination(s), "
                + ws.routes().size()
                + " route(s)).");
        return 0;
      } catch (WorkspaceException e) {
        for (ConfigProblem p : e.problems()) {
          err.println(p);
        }
        err.println(e.problems().size() + " problem(s); nothing would start.");
        return WeirCli.CONFIG_ERROR;
      } catch (PluginLoadException e) {
        e.problems().forEach(err::println);
        return WeirCli.CONFIG_ERROR;
      }
    }
  }
}
