package dev.weir.host.cli;

import dev.weir.host.Weir;
import dev.weir.host.config.WorkspaceException;
import dev.weir.host.plugin.PluginLoadException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Starts a workspace's store, governance and destinations in-process without its sources, for
 * commands that act on the stored data (replay, dead letters, replay-file). The store is
 * single-writer: a running Weir on the same workspace must be stopped first. Stateless.
 */
final class Offline {
  private Offline() {}

  /** The started host, or null after printing why it could not start. */
  static Weir start(Path workspace, Duration drain, PrintStream err) {
    try {
      return Weir.builder().workspace(workspace).drainTimeout(drain).startWithoutSources();
    } catch (WorkspaceException e) {
      err.println(e.getMessage());
    } catch (PluginLoadException e) {
      err.println("Plugins could not be loaded:");
      e.problems().forEach(p -> err.println("  " + p));
    } catch (Weir.StartException e) {
      err.println(e.getMessage());
      if (String.valueOf(e.getMessage()).contains("open in another process")) {
        err.println(
            "Stop the running Weir that uses this store first (the store directory is single-writer).");
      }
    }
    return null;
  }
}
