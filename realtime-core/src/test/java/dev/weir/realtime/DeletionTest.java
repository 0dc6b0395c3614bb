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

  /** A device id whose partition (of {@code n}) is not {@code user}'s. */
  private static String deviceOutside(String user, int n) {
    for (int i = 0; ; i++) {
      String d = "dev-" + i;
      if (Keys.partitionOf(d, n) != Keys.partitionOf(user, n)) {
        return d;
      }
    }
  }

  private static Event on(String source, String user, String device, String id, long t) {
    return Event.builder()
        .eventType("view")
        .userId(user)
        .deviceId(device)
        .insertId(id)
        .sourceId(source)
        .uploadTime(t)
        .time(t)
        .build();
  }

  /**
   * alice signs in on her phone after browsing anonymously; bob shares the phone; someone else
   * browses elsewhere; quarantine copies of alice's and the phone's events; over an hour, so some
   * rows are in chunks, some in evicted files, some cached.
   */
  private static List<Event> household(String phone) {
    List<Event> out = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      long t = T0 + i * MIN;
      out.add(on("src", null, phone, "anon" + i, t)); // before sign-in: device only
      out.add(on("src", "alice", phone, "alice" + i, t));
      out.add(on("src:quarantine", "alice", "laptop", "qa" + i, t));
      out.add(on("src:quarantine", null, phone, "qanon" + i, t));
      out.add(on("src", "bob", phone, "bob" + i, t)); // another user on the same device
      out.add(on("src", null, "elsewhere", "other" + i, t));
      out.add(on("other-source", "alice", "tablet", "os" + i, t)); // not the source deleted
    }
    return out;
  }

  private static List<String> idsOf(RealtimeStore s) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int p = 0; p < s.partitionCount(); p++) {
      for (StoredEvent e : s.read(p, 0, 100_000)) {
        ids.add(e.event().insertId());
      }
    }
    return ids;
  }

  @Test
  void deletingAUserReachesTheirDevicesAnonymousEventsAndQuarantineCopiesButNotOthersOnTheDevice()
      throws Exception {
    StoreOptions opts = options(dir).partitions(4).blocksPerChunk(3).build();
    String phone = deviceOutside("alice", 4);
    List<String> sources = List.of("src", "src:quarantine");
    try (RealtimeStore s = RealtimeStore.open(opts)) {
      appendInSmallBatches(s, household(phone));
      assertThat(s.chunks()).isNotEmpty();
      assertThat(s.stats().evictedBlocks() + s.stats().blocksInMemory()).isPositive();
      assertThat(s.deviceIdsOf(sources, "alice")).containsExactlyInAnyOrder(phone, "laptop");
      long removed = s.deleteUser(sources, "alice", s.deviceIdsOf(sources, "alice"));
      assertThat(removed).isEqualTo(4 * 60);
      assertThat(s.deleteUser(sources, "alice", java.util.Set.of(phone, "laptop"))).isZero();
      assertThat(idsOf(s))
          .hasSize(3 * 60)
          .allMatch(id -> id.startsWith("bob") || id.startsWith("other") || id.startsWith("os"));
      assertThat(
              s.audience(
                  new AudienceQuery(
                      null, List.of(), T0, T0 + 120 * MIN, List.of("src:quarantine"))))
          .isEmpty();
    }
    try (RealtimeStore s = RealtimeStore.open(opts)) {
      assertThat(idsOf(s)).hasSize(3 * 60).noneMatch(id -> id.startsWith("alice"));
    }
  }

  @Test
  void aDeletionSpanningPartitionsInterruptedByACrashIsCompletedInEveryPartitionOnOpen()
      throws Exception {
    FaultyFileSystem fs = new FaultyFileSystem();
    StoreOptions opts = options(dir).partitions(4).blocksPerChunk(3).fileSystem(fs).build();
    String phone = deviceOutside("alice", 4);
    List<String> sources = List.of("src", "src:quarantine");
    try (RealtimeStore s = RealtimeStore.open(opts)) {
      appendInSmallBatches(s, household(phone));
      // both intents land, then the process "dies" during the first partition's rewrites
      fs.movesBeforeFailure.set(3);
      assertThatThrownBy(() -> s.deleteUser(sources, "alice", java.util.Set.of(phone, "laptop")))
          .hasMessageContaining("injected");
      fs.movesBeforeFailure.set(-1);
      fs.failMoves = false;
    }
    try (RealtimeStore s = RealtimeStore.open(opts)) {
      assertThat(idsOf(s))
          .hasSize(3 * 60)
          .noneMatch(id -> id.startsWith("alice") || id.startsWith("anon") || id.startsWith("q"));
      for (int p = 0; p < 4; p++) {
        assertThat(Files.list(dir.resolve("p" + p).resolve("deletions")).count()).isZero();
      }
    }
  }

  private static AppendResult.Status status(RealtimeStore s, Event e) throws Exception {
    return s.append(List.of(e)).get(0).status();
  }

  @Test
  void aDeletedUsersEventSentAgainIsStoredAsNewEvenFromSealedBlocksWhileOthersStayDuplicates()
      throws Exception {
    StoreOptions opts = options(dir).partitions(1).blocksPerChunk(3).build();
    long later = T0 + 60 * MIN;
    try (RealtimeStore s = RealtimeStore.open(opts)) {
      appendInSmallBatches(s, history());
      // id0 (alice) and id1 (bob) are in the first block, sealed long ago: only the key index
      // knows their keys
      assertThat(s.partition(0).live.values()).noneMatch(b -> b.start == T0);
      assertThat(status(s, event("alice", "id0", later))).isEqualTo(AppendResult.Status.DUPLICATE);
      s.deleteUser("src", "alice");
      assertThat(status(s, event("bob", "id1", later))).isEqualTo(AppendResult.Status.DUPLICATE);
      assertThat(status(s, event("alice", "id0", later))).isEqualTo(AppendResult.Status.STORED);
      // the copy stored after the deletion is deduplicated like any event
      assertThat(status(s, event("alice", "id0", later))).isEqualTo(AppendResult.Status.DUPLICATE);
    }
    try (RealtimeStore s = RealtimeStore.open(opts)) {
      assertThat(status(s, event("alice", "id3", later))).isEqualTo(AppendResult.Status.STORED);
      assertThat(status(s, event("alice", "id0", later))).isEqualTo(AppendResult.Status.DUPLICATE);
      assertThat(status(s, event("bob", "id2", later))).isEqualTo(AppendResult.Status.DUPLICATE);
    }
  }
}
