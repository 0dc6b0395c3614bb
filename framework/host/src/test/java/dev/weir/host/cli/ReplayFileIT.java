package dev.weir.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.host.TestSupport;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code weir replay-file} against a real workspace: governance, dedup in the store, delivery to
 * files.
 */
class ReplayFileIT {
  @TempDir Path dir;

  private Path workspace() throws Exception {
    Files.writeString(
        dir.resolve("plan.yaml"),
        """
        id: shop
        version: 1
        events:
          Viewed: {}
          Purchase: {}
        """);
    Files.writeString(
        dir.resolve("workspace.yaml"),
        """
        store: { dir: "%s/store", partitions: 2 }
        tracking_plans: [ plan.yaml ]
        sources:
          - id: web
            type: http
            settings: { host: 127.0.0.1, port: %d, write_keys: [ replay-key-123 ] }
            tracking_plan: { id: shop, on_unplanned_event: block }
        destinations:
          - id: files
            type: file
            settings: { dir: "%s/out" }
            delivery: { max_batch_delay_ms: 0 }
        routes:
          - { from: web, to: [ files ] }
        """
            .formatted(dir, TestSupport.freePort(), dir));
    return dir.resolve("workspace.yaml");
  }

  private String run(Path ws, Path file, String... extra) {
    ReplayFileCommand cmd = new ReplayFileCommand();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    cmd.out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    cmd.err = cmd.out;
    String[] args =
        new String[] {
          "--workspace", ws.toString(), "--source", "web", "--no-progress", file.toString()
        };
    String[] all =
        java.util.stream.Stream.concat(
                java.util.Arrays.stream(args), java.util.Arrays.stream(extra))
            .toArray(String[]::new);
    int code = new CommandLine(cmd).execute(all);
    String output = buf.toString(StandardCharsets.UTF_8);
    assertThat(code).as(output).isZero();
    return output;
  }

  @Test
  void fileIsReplayedWithASummaryAndASecondRunFindsOnlyDuplicates() throws Exception {
    Path ws = workspace();
    Path file = dir.resolve("events.ndjson.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(
          """
          {"event_type":"Viewed","device_id":"d1","insert_id":"r-1"}
          {"event_type":"Purchase","user_id":"u1","insert_id":"r-2"}
          {"event_type":"Purchase","user_id":"u1","insert_id":"r-2"}
          {"event_type":"Unplanned","user_id":"u1","insert_id":"r-3"}
          not json at all
          {"event_type":"Viewed","time":"not-a-time","insert_id":"r-4"}

          {"event_type":"Viewed","user_id":"u2","insert_id":"r-5"}
          """
              .getBytes(StandardCharsets.UTF_8));
    }
    String first = run(ws, file);
    assertThat(first)
        .contains(
            "Replayed 7 lines: 3 accepted, 1 duplicates, 1 blocked by the tracking plan, "
                + "2 rejected")
        .contains("rejected 1: not valid JSON");
    assertThat(TestSupport.ndjsonLines(dir.resolve("out"))).hasSize(3);

    String second = run(ws, file);
    assertThat(second)
        .contains("Replayed 7 lines: 0 accepted, 4 duplicates, 1 blocked by the tracking plan");
    assertThat(TestSupport.ndjsonLines(dir.resolve("out"))).hasSize(3);
  }

  @Test
  void amplitudeFormatIsMappedToEvents() throws Exception {
    Path ws = workspace();
    Path file = dir.resolve("amp.ndjson");
    Files.writeString(
        file,
        """
        {"event_type":"Viewed","user_id":"user-00001","insert_id":"a-1","event_properties":{"page":"home"}}
        {"event_type":"Viewed"}
        """);
    String out = run(ws, file, "--format", "amplitude");
    assertThat(out)
        .contains(
            "Replayed 2 lines: 1 accepted, 0 duplicates, 0 blocked by the tracking plan, "
                + "1 rejected");
    assertThat(TestSupport.ndjsonLines(dir.resolve("out")))
        .singleElement()
        .asString()
        .contains("\"page\":\"home\"");
  }
}
