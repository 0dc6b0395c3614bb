package dev.weir.host.cli;

import dev.weir.delivery.DeliveryCursors;
import dev.weir.host.Weir;
import dev.weir.host.config.StoreSettings;
import dev.weir.host.config.Workspace;
import dev.weir.host.config.WorkspaceException;
import dev.weir.realtime.RealtimeStore;
import dev.weir.realtime.StoreOptions;
import dev.weir.realtime.StoreRepartition;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weir store repartition --to N}: the workspace's store, offline (its lock refuses a running
 * Weir), rewritten with {@code N} partitions by {@link StoreRepartition}. Sequences change, so it
 * first checks that every streaming destination has delivered everything (else it refuses, the
 * store unchanged) and then moves their saved cursors to the new ends; a store with batch export
 * checkpoints is refused (chunk ids change, and a re-export would load everything again).
 */
class StoreRepartitionCommand implements Callable<Integer> {
  @Option(
      names = "--workspace",
      defaultValue = "weir.yaml",
      description = "The workspace file (${DEFAULT-VALUE}).")
  Path workspace;

  @Option(names = "--to", required = true, description = "The new partition count (1-1024).")
  int to;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      return run(out, err);
    } catch (WorkspaceException e) {
      err.println(e.getMessage());
      return WeirCli.RUN_ERROR;
    } catch (Exception e) {
      err.println("repartition failed: " + e.getMessage());
      if (String.valueOf(e.getMessage()).contains("open in another process")) {
        err.println("Stop the running Weir that uses this store first.");
      }
      return WeirCli.RUN_ERROR;
    } finally {
      out.flush();
      err.flush();
    }
  }

  private int run(PrintWriter out, PrintWriter err) throws Exception {
    Workspace.StoreConfig store;
    try (Weir.Loaded loaded = Weir.load(workspace, System::getenv)) {
      store = loaded.workspace().store();
    }
    Path dir = store.dir();
    int from = StoreRepartition.partitionsOf(dir);
    if (from == 0) {
      err.println("no store at " + dir);
      return WeirCli.RUN_ERROR;
    }
    StoreOptions options = StoreSettings.options(store, msg -> {});
    Path delivery = dir.resolve("delivery");
    List<String> behind = DeliveryCursors.undelivered(delivery, ends(options, from));
    if (!behind.isEmpty()) {
      err.println(
          "destination(s) "
              + behind
              + " have events not yet delivered; their cursors would point nowhere after the"
              + " repartition. Start Weir, let them deliver everything (weir destinations status),"
              + " stop it, and run this again. The store is unchanged.");
      return WeirCli.RUN_ERROR;
    }
    List<String> exported = exportCheckpoints(dir.resolve("exports"));
    if (!exported.isEmpty()) {
      err.println(
          "batch destination(s) "
              + exported
              + " have export checkpoints: repartitioning a store with batch destinations is not"
              + " supported yet (chunk ids change, so everything would be exported again). The"
              + " store is unchanged.");
      return WeirCli.RUN_ERROR;
    }
    StoreRepartition.Report r = StoreRepartition.repartition(options, to);
    DeliveryCursors.rebaseCursors(delivery, ends(options, to));
    out.println(
        "Repartitioned "
            + dir
            + ": "
            + r.from()
            + " -> "
            + r.to()
            + " partitions, "
            + r.events()
            + " events. Set store.partitions: "
            + r.to()
            + " in the workspace. The old files are in "
            + r.before()
            + ": delete them once Weir runs well on the new store.");
    return 0;
  }

  /** The next sequence of every partition of the store opened with {@code partitions}. */
  private static Map<Integer, Long> ends(StoreOptions options, int partitions) throws IOException {
    Map<Integer, Long> ends = new LinkedHashMap<>();
    try (RealtimeStore s =
        RealtimeStore.open(
            options.toBuilder()
                .partitions(partitions)
                .cleanupInterval(java.time.Duration.ZERO)
                .build())) {
      for (int p = 0; p < partitions; p++) {
        ends.put(p, s.nextSequence(p));
      }
    }
    return ends;
  }

  /** The batch destinations with a non-empty export checkpoint under {@code exports}. */
  private static List<String> exportCheckpoints(Path exports) throws IOException {
    if (!Files.isDirectory(exports)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(exports)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".exported"))
          .filter(f -> f.toFile().length() > 0)
          .map(f -> f.getFileName().toString().replaceAll("\\.exported$", ""))
          .sorted()
          .toList();
    }
  }
}
