package dev.weir.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.sdk.Event;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoresTest {
  @TempDir Path dir;

  private static DeadLetter letter(String id, String reason) {
    return new DeadLetter(
        id,
        "hook",
        reason,
        "permanent",
        1,
        42,
        Event.builder()
            .eventType("e")
            .userId("u")
            .insertId(id)
            .eventProperties(Map.of("k", List.of(1, "a")))
            .build(),
        2,
        1000,
        2000,
        400,
        "bad",
        3000);
  }

  @Test
  void cursorStatesSurviveAReopenAndTheTempFileIsGone() {
    CursorStore store = new CursorStore(dir, "hook");
    assertThat(store.load()).isEmpty();
    java.util.TreeSet<Long> unresolved = new java.util.TreeSet<>(List.of(3L, 4L, 5L, 9L));
    store.save(
        Map.of(
            0,
            PartitionState.of(12, unresolved),
            1,
            PartitionState.of(7, new java.util.TreeSet<>())));
    Map<Integer, PartitionState> loaded = new CursorStore(dir, "hook").load();
    assertThat(loaded.get(0).read()).isEqualTo(12);
    assertThat(loaded.get(0).pending()).containsExactly(new long[] {3, 6}, new long[] {9, 10});
    assertThat(loaded.get(0).cursor()).isEqualTo(3);
    assertThat(loaded.get(0).unresolved()).isEqualTo(unresolved);
    assertThat(loaded.get(1).cursor()).isEqualTo(7);
    assertThat(dir.resolve("hook.json.tmp")).doesNotExist();
  }

  @Test
  void restoredTrackerReReadsOnlyWhatWasUnresolved() {
    CursorTracker t =
        new CursorTracker(
            1, Map.of(0, PartitionState.of(12, new java.util.TreeSet<>(List.of(3L, 4L, 9L)))));
    assertThat(t.cursor(0)).isEqualTo(3);
    assertThat(t.restoredRange(0, 10)).containsExactly(3, 5);
    assertThat(t.restoredRange(0, 10)).containsExactly(9, 10);
    assertThat(t.restoredRange(0, 10)).isNull();
    assertThat(t.readPosition(0)).isEqualTo(12);
    t.skip(0, 3);
    t.skip(0, 4);
    assertThat(t.cursor(0)).isEqualTo(9);
    t.skip(0, 9);
    assertThat(t.cursor(0)).isEqualTo(12);
  }

  @Test
  void deadLettersRoundTripWithFullContextAndFilterByReason() {
    DeadLetterStore store = new DeadLetterStore(dir);
    store.append("hook", List.of(letter("a", "rejected"), letter("b", "expired")));
    List<DeadLetter> all = new DeadLetterStore(dir).list("hook", null);
    assertThat(all).containsExactly(letter("a", "rejected"), letter("b", "expired"));
    assertThat(store.list("hook", "expired")).extracting(DeadLetter::id).containsExactly("b");
    assertThat(store.list("other", null)).isEmpty();
  }

  @Test
  void corruptDeadLetterLineIsSkippedAndKeptWhileNeighboursStayReadableAndRemovable()
      throws Exception {
    DeadLetterStore store = new DeadLetterStore(dir);
    store.append("hook", List.of(letter("a", "rejected")));
    Files.writeString(
        dir.resolve("hook.ndjson"),
        "{not json\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    store.append("hook", List.of(letter("b", "rejected")));
    assertThat(store.list("hook", null)).extracting(DeadLetter::id).containsExactly("a", "b");
    store.remove("hook", Set.of("a"));
    assertThat(store.list("hook", null)).extracting(DeadLetter::id).containsExactly("b");
    assertThat(Files.readString(dir.resolve("hook.ndjson"))).contains("{not json");
  }

  @Test
  void aNewDeadLetterFileAndItsRewriteAreDurableInTheirDirectoryBeforeTheCallReturns() {
    SyncRecordingFileSystem fs = new SyncRecordingFileSystem();
    Path letters = dir.resolve("delivery/dead-letters");
    DeadLetterStore store = new DeadLetterStore(fs, letters);
    assertThat(fs.ops).contains("syncdir " + dir.resolve("delivery").toAbsolutePath());

    store.append("hook", List.of(letter("a", "rejected"), letter("b", "rejected")));
    assertThat(fs.ops).contains("create " + letters.resolve("hook.ndjson").toAbsolutePath());
    assertThat(fs.entryIsDurable(letters.resolve("hook.ndjson"))).isTrue();

    fs.ops.clear();
    store.remove("hook", Set.of("a"));
    assertThat(fs.ops).contains("move " + letters.resolve("hook.ndjson").toAbsolutePath());
    assertThat(fs.entryIsDurable(letters.resolve("hook.ndjson"))).isTrue();
  }

  @Test
  void aSavedCursorFileIsDurableInItsDirectoryBeforeTheSaveReturns() {
    SyncRecordingFileSystem fs = new SyncRecordingFileSystem();
    Path cursors = dir.resolve("delivery/cursors");
    CursorStore store = new CursorStore(fs, cursors, "hook");
    store.save(Map.of(0, PartitionState.of(12, new java.util.TreeSet<>())));
    assertThat(fs.ops).contains("move " + cursors.resolve("hook.json").toAbsolutePath());
    assertThat(fs.entryIsDurable(cursors.resolve("hook.json"))).isTrue();
    assertThat(fs.ops).contains("syncdir " + dir.resolve("delivery").toAbsolutePath());
  }
}
