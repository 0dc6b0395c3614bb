package dev.weir.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.host.TestSupport;
import dev.weir.realtime.RealtimeStore;
import dev.weir.realtime.StoreOptions;
import dev.weir.sdk.Event;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code weir query} offline on a workspace's store prints tables of the answers. */
class QueryCommandIT {
  static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

  @TempDir Path dir;

  private Path workspace() throws Exception {
    Files.writeString(
        dir.resolve("workspace.yaml"),
        """
        store: { dir: "%s/store", partitions: 2 }
        sources:
          - id: web
            type: http
            settings: { host: 127.0.0.1, port: %d, write_keys: [ query-key-123 ] }
        destinations:
          - id: files
            type: file
            settings: { dir: "%s/out" }
        routes:
          - { from: web, to: [ files ] }
        """
            .formatted(dir, TestSupport.freePort(), dir));
    List<Event> evs = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      evs.add(
          Event.builder()
              .eventType(i % 3 == 2 ? "Purchase" : "Viewed")
              .userId("u" + (i % 4))
              .insertId("q" + i)
              .sourceId(i == 11 ? "web:quarantine" : "web")
              .time(T0 + i * 600_000L)
              .uploadTime(T0 + i * 600_000L)
              .platform(i % 2 == 0 ? "ios" : "android")
              .eventProperties(Map.of("price", i))
              .build());
    }
    try (RealtimeStore s =
        RealtimeStore.open(
            StoreOptions.builder(dir.resolve("store"))
                .partitions(2)
                .fsyncPolicy(StoreOptions.FsyncPolicy.ALWAYS)
                .build())) {
      s.append(evs);
    }
    return dir.resolve("workspace.yaml");
  }

  private String run(String... args) {
    QueryCommand cmd = new QueryCommand();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    cmd.out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    cmd.err = cmd.out;
    int code = new CommandLine(cmd).execute(args);
    String output = buf.toString(StandardCharsets.UTF_8);
    assertThat(code).as(output).isZero();
    return output;
  }

  @Test
  void segmentationAndFunnelPrintAsTables() throws Exception {
    Path ws = workspace();
    String seg =
        run(
            "--workspace",
            ws.toString(),
            "{\"type\":\"segmentation\",\"from\":\"2026-01-01T00:00:00Z\","
                + "\"to\":\"2026-01-01T03:00:00Z\",\"group_by\":\"platform\"}");
    assertThat(seg.lines().toList())
        .contains(
            "bucket                ios  android",
            "2026-01-01T00:00:00Z    3        3",
            "2026-01-01T01:00:00Z    3        2",
            "total                   6        5");
    String funnel =
        run(
            "--workspace",
            ws.toString(),
            "{\"type\":\"funnel\",\"from\":\"2026-01-01T00:00:00Z\","
                + "\"to\":\"2026-01-01T03:00:00Z\",\"steps\":[{\"event_type\":\"Viewed\"},"
                + "{\"event_type\":\"Purchase\"}]}");
    assertThat(funnel.lines().toList())
        .contains(
            "step  event     users  conversion  median time",
            "1     Viewed        4      100.0%",
            "2     Purchase      2       50.0%        PT40M");
  }

  @Test
  void anInvalidQueryNamesItsPath() throws Exception {
    Path ws = workspace();
    QueryCommand cmd = new QueryCommand();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    cmd.out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    cmd.err = cmd.out;
    int code =
        new CommandLine(cmd)
            .execute(
                "--workspace", ws.toString(), "{\"type\":\"segmentation\",\"bucket\":\"week\"}");
    assertThat(code).isEqualTo(WeirCli.CONFIG_ERROR);
    assertThat(buf.toString(StandardCharsets.UTF_8)).contains("$.bucket");
  }
}
