package dev.weir.host.cli;

import dev.weir.host.Weir;
import dev.weir.host.config.Workspace;
import dev.weir.host.config.WorkspaceException;
import dev.weir.host.plugin.PluginLoadException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts a workspace in the foreground until SIGTERM/SIGINT, which shuts it down cleanly.
 * Stateless.
 */
final class Runner {
  private Runner() {}

  static int run(
      Path workspace,
      Map<String, String> overrides,
      boolean quickstart,
      PrintStream out,
      PrintStream err) {
    return run(workspace, overrides, quickstart, false, out, err);
  }

  /** Like the other; {@code watch}: reload the workspace whenever its file changes. */
  static int run(
      Path workspace,
      Map<String, String> overrides,
      boolean quickstart,
      boolean watch,
      PrintStream out,
      PrintStream err) {
    Weir weir;
    try {
      weir = Weir.builder().workspace(workspace).overrides(overrides).start();
    } catch (WorkspaceException e) {
      err.println(e.getMessage());
      err.println(
          "Nothing was started. Check the workspace with: weir config validate " + workspace);
      return WeirCli.CONFIG_ERROR;
    } catch (PluginLoadException e) {
      err.println("Plugins could not be loaded:");
      e.problems().forEach(p -> err.println("  " + p));
      return WeirCli.CONFIG_ERROR;
    } catch (Weir.StartException e) {
      err.println(e.getMessage());
      return WeirCli.RUN_ERROR;
    }
    Thread hook = new Thread(weir::close, "weir-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Workspace ws = weir.workspace();
    // The banner is printed, not logged: it goes through the same redaction as the logs.
    out.println(
        dev.weir.runtime.Redactor.of(ws.secrets())
            .with(dev.weir.host.logging.SecretRedactor.current().secrets())
            .redact(Summary.of(ws, quickstart)));
    out.flush();
    if (watch) {
      weir.watchWorkspace(java.time.Duration.ofSeconds(1));
    }
    try {
      weir.awaitStopped();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      weir.close();
    }
    return 0;
  }
}
