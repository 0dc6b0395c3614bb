package dev.weir.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.delivery.DeliveryCursors;
import dev.weir.realtime.RealtimeStore;
import dev.weir.realtime.StoreOptions;
import dev.weir.sdk.Event;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StoreRepartitionCommandTest {
  @TempDir Path dir;
  private Path store;

  @BeforeEach
  void aStoppedWeirsStoreWithTwoPartitions() throws Exception {
    store = dir.resolve("store");
    Files.writeString(
        dir.resolve("weir.yaml"), "store: { dir: \"%s\", partitions: 2 }\n".formatted(store));
    List<Event> events = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (int i = 0; i < 200; i++) {
      events.add(
          Event.builder()
              .eventType("view")
              .userId("u" + (i % 17))
              .insertId("e-" + i)
              .sourceId("web")
              .uploadTime(now - 3_600_000L + i * 1000L)
              .build());
    }
    try (RealtimeStore s = RealtimeStore.open(StoreOptions.builder(store).partitions(2).build())) {
      s.append(events);
    }
  }

  private Map<Integer, Long> ends(int partitions) throws Exception {
    Map<Integer, Long> ends = new LinkedHashMap<>();
    try (RealtimeStore s =
        RealtimeStore.open(StoreOptions.builder(store).partitions(partitions).build())) {
      for (int p = 0; p < partitions; p++) {
        ends.put(p, s.nextSequence(p));
      }
    }
    return ends;
  }

  /** Saves destination hook's cursors at {@code read} per partition, nothing pending. */
  private void hook(Map<Integer, Long> read) throws Exception {
    Path cursors = Files.createDirectories(store.resolve("delivery/cursors"));
    StringBuilder json = new StringBuilder("{");
    read.forEach(
        (p, r) ->
            json.append(json.length() > 1 ? "," : "")
                .append("\"")
                .append(p)
                .append("\": {\"read\": ")
                .append(r)
                .append(", \"pending\": []}"));
    Files.writeString(cursors.resolve("hook.json"), json.append("}").toString());
  }

  private String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = WeirCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new String[] {String.valueOf(code), out.toString(), err.toString()};
  }

  @Test
  void aDrainedStoreIsRepartitionedAndTheDestinationsCursorsMoveToTheNewEnds() throws Exception {
    hook(ends(2)); // hook delivered it all

    String[] r = run("store", "repartition", "--to", "3", "--workspace", dir + "/weir.yaml");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    assertThat(r[1]).contains("2 -> 3 partitions, 200 events").contains("store.partitions: 3");

    Map<Integer, Long> after = ends(3);
    assertThat(after.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(200);
    assertThat(DeliveryCursors.undelivered(store.resolve("delivery"), after)).isEmpty();
    assertThat(store.resolve("before-repartition/p1")).isDirectory();
  }

  @Test
  void aStoreWithEventsNotYetDeliveredIsRefusedUnchanged() throws Exception {
    Map<Integer, Long> behind = new LinkedHashMap<>(ends(2));
    behind.put(1, behind.get(1) - 5);
    hook(behind);

    String[] r = run("store", "repartition", "--to", "3", "--workspace", dir + "/weir.yaml");
    assertThat(r[0]).isNotEqualTo("0");
    assertThat(r[2]).contains("[hook]").contains("not yet delivered").contains("unchanged");
    assertThat(ends(2).values().stream().mapToLong(Long::longValue).sum()).isEqualTo(200);
    assertThat(store.resolve("before-repartition")).doesNotExist();
  }
}
