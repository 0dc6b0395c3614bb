package dev.weir.connectors.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import dev.weir.testkit.TestContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDestinationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private static Event event(int i) {
    return Event.builder()
        .eventType("Clicked")
        .userId("u" + i)
        .time(1_700_000_000_000L + i)
        .insertId("id-" + i)
        .eventProperties(Map.of("n", i))
        .build();
  }

  private List<Path> files(String suffix) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }

  private List<Event> readComplete() throws IOException {
    List<Event> out = new ArrayList<>();
    for (Path p : files(".ndjson")) {
      for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = JSON.readValue(line, Map.class);
        out.add(Event.fromMap(m));
      }
    }
    return out;
  }

  private FileDestination started(Map<String, ?> settings) throws IOException {
    FileDestination d = new FileDestination();
    d.start(TestContext.builder(d.spec()).settings(settings).build());
    return d;
  }

  @Test
  void deliveredEventsAreWrittenAsCanonicalNdjsonAndTheFileIsCompletedOnStop() throws Exception {
    FileDestination d = started(Map.of("dir", dir.toString()));
    List<Outcome> outcomes = d.deliver(List.of(event(1), event(2)));
    assertThat(outcomes).extracting(Outcome::status).containsOnly(Outcome.Status.DELIVERED);
    assertThat(files(".ndjson.tmp")).hasSize(1);
    assertThat(files(".ndjson")).isEmpty();
    // The open file already holds the batch (fsynced before deliver returned).
    assertThat(Files.readAllLines(files(".ndjson.tmp").get(0))).hasSize(2);

    d.stop();
    assertThat(files(".ndjson.tmp")).isEmpty();
    assertThat(readComplete()).containsExactly(event(1), event(2));
  }

  @Test
  void fileIsRotatedWhenItReachesTheSizeLimitAndNoEventIsLost() throws Exception {
    FileDestination d = started(Map.of("dir", dir.toString(), "max_file_bytes", 300));
    for (int i = 0; i < 20; i++) {
      d.deliver(List.of(event(i)));
    }
    d.stop();
    assertThat(files(".ndjson").size()).isGreaterThan(3);
    List<Event> expected = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      expected.add(event(i));
    }
    assertThat(readComplete()).containsExactlyElementsOf(expected);
  }

  @Test
  void idleOpenFileIsCompletedOnceItIsOlderThanTheAgeLimit() throws Exception {
    FileDestination d = started(Map.of("dir", dir.toString(), "max_file_age_ms", 200));
    d.deliver(List.of(event(7)));
    await().atMost(Duration.ofSeconds(10)).until(() -> files(".ndjson").size() == 1);
    assertThat(files(".ndjson.tmp")).isEmpty();
    assertThat(readComplete()).containsExactly(event(7));
    d.stop();
  }

  @Test
  void fileLeftOpenByACrashIsFinalisedOnStartWithoutItsPartialLastLine() throws Exception {
    String good = JSON.writeValueAsString(event(1).toMap());
    Files.writeString(
        dir.resolve("events-20260101T000000Z-000000.ndjson.tmp"), good + "\n{\"event_type\":\"Cli");
    FileDestination d = started(Map.of("dir", dir.toString()));
    d.stop();
    assertThat(files(".ndjson.tmp")).isEmpty();
    assertThat(readComplete()).containsExactly(event(1));
  }

  @Test
  void specDeclaresTheDirAsRequired() {
    assertThat(new FileDestination().spec().settingsSchema()).contains("\"required\": [\"dir\"]");
    assertThat(new FileDestination().spec().id()).isEqualTo("file");
  }
}
