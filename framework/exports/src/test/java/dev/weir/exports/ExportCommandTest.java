package dev.weir.exports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.realtime.ChunkInfo;
import dev.weir.realtime.RealtimeStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ExportCommandTest {
  @TempDir Path tmp;

  @Test
  void exportCommandBackfillsTheRangeThroughTheSchedulerAndPrintsASummary() throws Exception {
    try (RealtimeStore store = TestStores.open(tmp.resolve("store"))) {
      TestStores.append(store, TestStores.events(0, 200, 0, 10, "view", Map.of()));
      DirectoryDestination d = new DirectoryDestination(Files.createDirectories(tmp.resolve("d")));
      try (ExportScheduler s =
          ExportScheduler.builder(store, tmp.resolve("state")).destination("lake", d).build()) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli =
            new CommandLine(new ExportCommand(s::backfill))
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err));
        int code =
            cli.execute(
                "--destination",
                "lake",
                "--from",
                Instant.ofEpochMilli(TestStores.T0).toString(),
                "--to",
                Long.toString(TestStores.T0 + 60 * TestStores.MIN));
        assertThat(code).isZero();
        long rows = store.chunks().stream().mapToLong(ChunkInfo::rows).sum();
        assertThat(out.toString())
            .contains(
                "exported "
                    + store.chunks().size()
                    + " chunks to lake: "
                    + rows
                    + " rows loaded, 0 rows refused");
        assertThat(err.toString()).contains("export lake", "100%");
        assertThat(d.exportedFiles()).hasSize(store.chunks().size());
      }
    }
  }

  @Test
  void badTimesAndUnknownDestinationsExitWithCodeTwoAndAClearMessage() throws Exception {
    try (RealtimeStore store = TestStores.open(tmp.resolve("store"))) {
      try (ExportScheduler s = ExportScheduler.builder(store, tmp.resolve("state")).build()) {
        StringWriter err = new StringWriter();
        CommandLine cli =
            new CommandLine(new ExportCommand(s::backfill)).setErr(new PrintWriter(err));
        assertThat(cli.execute("--destination", "x", "--from", "yesterday", "--to", "2026-11-20"))
            .isEqualTo(2);
        assertThat(err.toString()).contains("--from 'yesterday' is not an ISO-8601 instant");
        assertThat(
                cli.execute(
                    "--destination",
                    "nope",
                    "--from",
                    "2026-11-19",
                    "--to",
                    "2026-11-20",
                    "--no-progress"))
            .isEqualTo(2);
        assertThat(err.toString()).contains("unknown batch destination 'nope'");
      }
    }
  }
}
