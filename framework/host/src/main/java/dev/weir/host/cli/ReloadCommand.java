package dev.weir.host.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code weir reload}: a <b>running</b> Weir re-reads its workspace file and applies what changed,
 * or refuses the whole change with located problems (exit 1), through its admin API.
 */
@Command(
    name = "reload",
    mixinStandardHelpOptions = true,
    description =
        "Make a running Weir re-read its workspace file and apply added, removed and changed "
            + "sources, streaming destinations and routes; a change it cannot apply live is refused whole, "
            + "with its location, and nothing changes.")
final class ReloadCommand implements Callable<Integer> {
  @Mixin AdminClient admin;

  @Override
  public Integer call() {
    return admin.call("POST", "{}", "api", "v1", "workspace", "reload");
  }
}
