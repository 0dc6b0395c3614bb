package dev.weir.realtime;

import static dev.weir.realtime.TestEvents.MIN;
import static dev.weir.realtime.TestEvents.T0;
import static dev.weir.realtime.TestEvents.event;
import static dev.weir.realtime.TestEvents.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.realtime.AppendResult.Status;
import dev.weir.sdk.Event;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryAndFaultTest {
  @TempDir Path dir;

  private static List<String> insertIds(RealtimeStore s) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int p = 0; p < s.partitionCount(); p++) {
      for (StoredEvent e : s.read(p, 0, 1_000_000)) {
        ids.add(e.event().insertId());
      }
    }
    return ids;
  }

  private Path onlyWalFile(int partition) throws Exception {
    try (Stream<Path> files = Files.list(dir.resolve("p" + partition).resolve("wal"))) {
      return files.filter(f -> f.toString().endsWith(".wal")).findFirst().orElseThrow();
    }
  }

  @Test
  void tornTailIsTruncatedAtTheLastGoodRecordAndReported() throws Exception {
    StoreOptions opts = options(dir).partitions(1).build();
    try (RealtimeStore s = RealtimeStore.open(opts)) {
      s.append(List.of(event("u", "a", T0), event("u", "b", T0), event("u", "c", T0)));
    }
    Path wal = onlyWalFile(0);
    long goodLength = Files.size(wal);
    try (RandomAccessFile f = new RandomAccessFile(wal.toFile(), "rw")) {
      f.seek(goodLength);
      f.writeInt(500); // a record header promising 500 bytes, then only 3 of them: a torn write
      f.writeInt(1234);
      f.write(new byte[] {1, 2, 3});
    }
    List<String> reported = new ArrayList<>();
    try (RealtimeStore s =
        RealtimeStore.open(opts.toBuilder().recoveryListener(reported::add).build())) {
      assertThat(insertIds(s)).containsExactly("a", "b", "c");
      assertThat(s.recoveryReport().problems())
          .anySatisfy(p -> assertThat(p).contains("torn or corrupt tail"));
      assertThat(reported).isEqualTo(s.recoveryReport().problems());
      assertThat(Files.size(wal)).isEqualTo(goodLength);
      assertThat(s.append(List.of(event("u", "d", T0))).get(0).status()).isEqualTo(Status.STORED);
    }
    try (RealtimeStore s = RealtimeStore.open(opts)) {
      assertThat(insertIds(s)).containsExactly("a", "b", "c", "d");
      assertThat(s.recoveryReport().problems()).isEmpty();
    }
  }

  @Test
  void recordWithBadCrcInTheMiddleIsSkippedAndItsNeighboursSurvive() throws Exception {
    StoreOptions opts = options(dir).partitions(1).build();
    try (RealtimeStore s = RealtimeStore.open(opts)) {
      s.append(List.of(event("u", "a", T0)));
      s.append(List.of(event("u", "b", T0)));
      s.append(List.of(event("u", "c", T0)));
    }
    Path wal = onlyWalFile(0);
    byte[] bytes = Files.readAllBytes(wal);
    int firstLen = java.nio.ByteBuffer.wrap(bytes).getInt(0);
    int second = 8 + firstLen;
    bytes[second + 8 + 12] ^= 0x55; // flip a payload byte of the second record
    Files.write(wal, bytes);
    try (RealtimeStore s = RealtimeStore.open(opts)) {
      assertThat(insertIds(s)).containsExactly("a", "c");
      assertThat(s.recoveryReport().problems()).anySatisfy(p -> assertThat(p).contains("bad CRC"));
    }
  }

  @Test
  void fullDiskFailsTheAppendCleanlyAndTheStoreWorksAgainOnceSpaceReturns() throws Exception {
    FaultyFileSystem fs = new FaultyFileSystem();
    StoreOptions opts = options(dir).partitions(2).fileSystem(fs).build();
    try (RealtimeStore s = RealtimeStore.open(opts)) {
      s.append(List.of(event("u1", "a", T0), event("u2", "b", T0)));
      long[] before = {s.nextSequence(0), s.nextSequence(1)};
      fs.diskFull = true;
      assertThatThrownBy(
              () ->
                  s.append(
                      List.of(
                          event("u1", "c", T0),
                          event("u2", "d", T0),
                          event("u3", "e", T0 + 6 * MIN))))
          .isInstanceOf(StoreWriteException.class)
          .hasMessageContaining("nothing stored")
          .hasMessageContaining("No space left");
      assertThat(new long[] {s.nextSequence(0), s.nextSequence(1)}).isEqualTo(before);
      assertThat(insertIds(s)).containsExactlyInAnyOrder("a", "b");
      fs.diskFull = false;
      List<AppendResult> retry =
          s.append(
              List.of(event("u1", "c", T0), event("u2", "d", T0), event("u3", "e", T0 + 6 * MIN)));
      assertThat(retry).extracting(AppendResult::status).containsOnly(Status.STORED);
      assertThat(insertIds(s)).containsExactlyInAnyOrder("a", "b", "c", "d", "e");
    }
    try (RealtimeStore s = RealtimeStore.open(opts)) {
      assertThat(s.recoveryReport().problems()).isEmpty();
      assertThat(insertIds(s)).containsExactlyInAnyOrder("a", "b", "c", "d", "e");
    }
  }

  @Test
  void appendOnAClosedStoreFailsWithAClearError() throws Exception {
    RealtimeStore s = RealtimeStore.open(options(dir).build());
    s.close();
    assertThatThrownBy(() -> s.append(List.of(event("u", "a", T0))))
        .isInstanceOf(StoreWriteException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void concurrentAppendersShareOneFsync() throws Exception {
    FaultyFileSystem fs = new FaultyFileSystem();
    StoreOptions opts =
        options(dir)
            .partitions(1)
            .fileSystem(fs)
            .fsyncPolicy(StoreOptions.FsyncPolicy.ALWAYS)
            .build();
    try (RealtimeStore s = RealtimeStore.open(opts)) {
      s.append(List.of(event("u", "warmup", T0)));
      long forcesBefore = fs.forces.get();
      long syncsBefore = s.fsyncCount();
      CountDownLatch gate = new CountDownLatch(1);
      fs.holdFirstForce = gate;
      int writesBefore = fs.writes.get();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<List<AppendResult>>> futures = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          Event e = event("u", "id" + i, T0);
          futures.add(pool.submit(() -> s.append(List.of(e))));
        }
        // the first leader is parked inside fsync; wait until all 8 batches are written, then let
        // it go
        Awaitility.await()
            .atMost(10, TimeUnit.SECONDS)
            .until(() -> fs.writes.get() - writesBefore >= 8);
        gate.countDown();
        for (Future<List<AppendResult>> f : futures) {
          assertThat(f.get(10, TimeUnit.SECONDS).get(0).status()).isEqualTo(Status.STORED);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(s.fsyncCount() - syncsBefore).isLessThanOrEqualTo(2);
      assertThat(fs.forces.get() - forcesBefore).isLessThanOrEqualTo(2);
    }
  }

  @Test
  void readReturnsOnlyAcknowledgedSequencesInOrderAcrossBlocks() throws Exception {
    try (RealtimeStore s = RealtimeStore.open(options(dir).partitions(1).build())) {
      s.append(
          List.of(
              event("u", "a", T0 + 6 * MIN), event("u", "b", T0), event("u", "c", T0 + 6 * MIN)));
      List<StoredEvent> all = s.read(0, 0, 10);
      assertThat(all).extracting(StoredEvent::sequence).containsExactly(0L, 1L, 2L);
      assertThat(all).extracting(e -> e.event().insertId()).containsExactly("a", "b", "c");
      assertThat(s.read(0, 1, 1)).extracting(e -> e.event().insertId()).containsExactly("b");
      assertThat(s.nextSequence(0)).isEqualTo(3);
    }
  }

  @Test
  void intervalFsyncPolicyMakesAppendsReadableAtOnceAndDurableByClose() throws Exception {
    StoreOptions opts =
        options(dir)
            .partitions(2)
            .fsyncPolicy(StoreOptions.FsyncPolicy.INTERVAL)
            .fsyncInterval(java.time.Duration.ofMillis(20))
            .build();
    try (RealtimeStore s = RealtimeStore.open(opts)) {
      assertThat(s.append(List.of(event("u1", "a", T0), event("u2", "b", T0))))
          .extracting(AppendResult::status)
          .containsOnly(Status.STORED);
      assertThat(insertIds(s)).containsExactlyInAnyOrder("a", "b");
    }
    try (RealtimeStore s = RealtimeStore.open(opts)) {
      assertThat(insertIds(s)).containsExactlyInAnyOrder("a", "b");
      assertThat(s.append(List.of(event("u1", "a", T0))).get(0).status())
          .isEqualTo(Status.DUPLICATE);
    }
  }

  @Test
  void aSecondProcessCannotOpenTheSameDirectory() throws Exception {
    try (RealtimeStore s = RealtimeStore.open(options(dir).build())) {
      ProcessBuilder pb =
          new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-cp",
              System.getProperty("java.class.path"),
              OpenOnce.class.getName(),
              dir.toString());
      pb.redirectErrorStream(true);
      Process child = pb.start();
      String out = new String(child.getInputStream().readAllBytes());
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(out).contains("is open in another process");
    }
  }

  /** Opens a store directory once and prints the outcome (for the directory-lock test). */
  static final class OpenOnce {
    public static void main(String[] args) {
      try (RealtimeStore s =
          RealtimeStore.open(
              StoreOptions.builder(Path.of(args[0]))
                  .partitions(2)
                  .cleanupInterval(java.time.Duration.ZERO)
                  .build())) {
        System.out.println("opened");
      } catch (Exception e) {
        System.out.println(e.getMessage());
      }
    }
  }
}
