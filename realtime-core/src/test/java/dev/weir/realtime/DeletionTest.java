package dev.weir.realtime;

import static dev.weir.realtime.TestEvents.MIN;
import static dev.weir.realtime.TestEvents.T0;
import static dev.weir.realtime.TestEvents.event;
import static dev.weir.realtime.TestEvents.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.sdk.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeletionTest {
  @TempDir Path dir;

  /** Events of alice and bob spread over 60 minutes: some in chunks, some evicted, some cached. */
  private static List<Event> history() {
    List<Event> out = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      String user = i % 3 == 0 ? "alice" : "bob";
      out.add(event(user, "id" + i, T0 + i * 30_000L));
    }
    return out;
  }

  private static List<String> usersOf(RealtimeStore s) throws Exception {
    List<String> users = new ArrayList<>();
    for (int p = 0; p < s.partitionCount(); p++) {
      for (StoredEvent e : s.read(p, 0, 100_000)) {
        users.add(e.event().userId());
      }
    }
    return users;
  }

  private static void appendInSmallBatches(RealtimeStore s, List<Event> events) throws Exception {
    for (int i = 0; i < events.size(); i += 10) {
      s.append(events.subList(i, i + 10));
    }
  }

  @Test
  void deletingAUserRemovesTheirEventsFromBlocksFilesAndChunksDurably() throws Exception {
    StoreOptions opts = options(dir).partitions(1).blocksPerChunk(3).build();
    try (RealtimeStore s = RealtimeStore.open(opts)) {
      appendInSmallBatches(s, history());
      assertThat(s.chunks()).isNotEmpty();
      assertThat(s.stats().blocksInMemory()).isPositive();
      long next = s.nextSequence(0);
      assertThat(s.deleteUser("src", "alice")).isEqualTo(40);
      assertThat(s.deleteUser("src", "alice")).isZero();
      assertThat(usersOf(s)).hasSize(80).containsOnly("bob");
      assertThat(s.audience(new AudienceQuery(null, List.of(), T0, T0 + 120 * MIN)))
          .containsExactly("bob");
      assertThat(s.nextSequence(0)).isEqualTo(next);
      // a deleted user's events may be sent again: they are new data now
      assertThat(s.append(List.of(event("alice", "id117", T0 + 59 * MIN))).get(0).status())
          .isEqualTo(AppendResult.Status.STORED);
    }
    try (RealtimeStore s = RealtimeStore.open(opts)) {
      assertThat(usersOf(s)).hasSize(81).containsOnlyOnce("alice");
    }
  }

  @Test
  void aDeletionInterruptedByACrashIsCompletedWhenTheStoreOpensAgain() throws Exception {
    FaultyFileSystem fs = new FaultyFileSystem();
    StoreOptions opts = options(dir).partitions(1).blocksPerChunk(3).fileSystem(fs).build();
    try (RealtimeStore s = RealtimeStore.open(opts)) {
      appendInSmallBatches(s, history());
      assertThat(s.chunks()).isNotEmpty();
      fs.failMoves = true; // the intent file cannot even be renamed into place: nothing may change
      assertThatThrownBy(() -> s.deleteUser("src", "alice")).hasMessageContaining("injected");
      assertThat(usersOf(s)).hasSize(120);
    }
    fs.failMoves = false;
    // now fail midway: the intent, the floor and one rewritten file land, then renames fail (as if
    // the process died)
    try (RealtimeStore s = RealtimeStore.open(opts)) {
      fs.movesBeforeFailure.set(3);
      assertThatThrownBy(() -> s.deleteUser("src", "alice")).hasMessageContaining("injected");
      assertThat(usersOf(s)).contains("alice").hasSizeLessThan(120);
      assertThat(Files.exists(UserDeletion.intentPath(s.partition(0), "src", "alice"))).isTrue();
      fs.movesBeforeFailure.set(-1);
      fs.failMoves = false;
      // the store stays usable after the failed deletion
      assertThat(s.append(List.of(event("bob", "late", T0 + 59 * MIN))).get(0).status())
          .isEqualTo(AppendResult.Status.STORED);
    }
    fs.failMoves = false;
    fs.movesBeforeFailure.set(-1);
    List<String> reported = new ArrayList<>();
    try (RealtimeStore s =
        RealtimeStore.open(opts.toBuilder().recoveryListener(reported::add).build())) {
      assertThat(usersOf(s)).hasSize(81).containsOnly("bob");
      assertThat(reported).anySatisfy(r -> assertThat(r).contains("interrupted user deletion"));
      assertThat(Files.list(dir.resolve("p0").resolve("deletions")).count()).isZero();
    }
  }
}
