package dev.weir.host.cli;

import dev.weir.exports.ExportCommand;
import dev.weir.host.Weir;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code weir export --workspace W --destination X --from T1 --to T2}: backfills a time range of
 * sealed chunks to a batch destination, offline on the workspace's store (stop a running Weir
 * first). The rest of the options are framework/exports' {@link ExportCommand}.
 */
@Command(
    name = "export",
    description =
        "Re-export (backfill) a time range of sealed chunks to a batch destination "
            + "(--destination X --from T1 --to T2 [--no-progress]).")
final class ExportHostCommand implements Callable<Integer> {
  @Option(
      names = {"-w", "--workspace"},
      required = true,
      paramLabel = "<file>",
      description = "Workspace YAML file.")
  Path workspace;

  @Unmatched List<String> rest = new ArrayList<>();

  @Override
  public Integer call() {
    Weir weir = Offline.start(workspace, Duration.ZERO, System.err);
    if (weir == null) {
      return WeirCli.CONFIG_ERROR;
    }
    try (weir) {
      return new CommandLine(new ExportCommand(weir.exports()::backfill))
          .execute(rest.toArray(String[]::new));
    }
  }
}
