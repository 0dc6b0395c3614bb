package dev.weir.realtime;

import static dev.weir.realtime.TestEvents.T0;
import static dev.weir.realtime.TestEvents.event;
import static dev.weir.realtime.TestEvents.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.realtime.AppendResult.Status;
import dev.weir.sdk.Event;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurabilityEdgeTest {
  @TempDir Path dir;

  private StoreOptions.Builder durable(FaultyFileSystem fs) {
    return options(dir).partitions(1).fsyncPolicy(StoreOptions.FsyncPolicy.ALWAYS).fileSystem(fs);
  }

  @Test
  void aNewWriteAheadFilesDirectoryIsFsyncedBeforeItsEventsAreAcknowledged() throws Exception {
    FaultyFileSystem fs = new FaultyFileSystem();
    try (RealtimeStore s = RealtimeStore.open(durable(fs).build())) {
      fs.ops.clear();
      s.append(List.of(event("u1", "a", T0)));
      List<String> ops = List.copyOf(fs.ops);
      int created = -1;
      for (int i = 0; i < ops.size(); i++) {
        if (ops.get(i).startsWith("create ") && ops.get(i).endsWith(".wal")) {
          created = i;
        }
      }
      assertThat(created).as("a write-ahead file was created: %s", ops).isNotNegative();
      assertThat(ops.subList(created, ops.size()))
          .contains("syncdir " + dir.resolve("p0").resolve("wal"));
    }
  }

  @Test
  void afterAFailedFsyncTheRetryIsStoredNotAnsweredDuplicate() throws Exception {
    FaultyFileSystem fs = new FaultyFileSystem();
    try (RealtimeStore s = RealtimeStore.open(durable(fs).build())) {
      s.append(List.of(event("u1", "before", T0)));
      fs.failForces.set(1);
      assertThatThrownBy(() -> s.append(List.of(event("u1", "a", T0 + 1))))
          .isInstanceOf(StoreWriteException.class)
          .hasMessageContaining("fsync failed");
      assertThat(s.read(0, 0, 100)).extracting(e -> e.event().insertId()).containsExactly("before");
      List<AppendResult> retry = s.append(List.of(event("u1", "a", T0 + 2)));
      assertThat(retry.get(0).status()).isEqualTo(Status.STORED);
      assertThat(s.read(0, 0, 100))
          .extracting(e -> e.event().insertId())
          .containsExactly("before", "a");
    }
    try (RealtimeStore s = RealtimeStore.open(durable(new FaultyFileSystem()).build())) {
      assertThat(s.read(0, 0, 100))
          .extracting(e -> e.event().insertId())
          .containsExactly("before", "a");
    }
  }

  @Test
  void aCorruptLengthHeaderInTheMiddleKeepsEveryLaterRecordAndSetsTheBytesAside() throws Exception {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      events.add(event("u1", "e" + i, T0 + i));
    }
    try (RealtimeStore s = RealtimeStore.open(options(dir).partitions(1).build())) {
      for (Event e : events) {
        s.append(List.of(e));
      }
    }
    Path wal;
    try (Stream<Path> files = Files.list(dir.resolve("p0/wal"))) {
      wal = files.filter(f -> f.toString().endsWith(".wal")).findFirst().orElseThrow();
    }
    byte[] data = Files.readAllBytes(wal);
    ByteBuffer b = ByteBuffer.wrap(data);
    int pos = 0;
    for (int i = 0; i < 3; i++) {
      pos += WalFile.HEADER + b.getInt(pos);
    }
    int corruptAt = pos;
    b.putInt(corruptAt, 0x7fff0000); // an impossible length for the fourth record
    Files.write(wal, data);

    List<String> reported = new ArrayList<>();
    try (RealtimeStore s =
        RealtimeStore.open(options(dir).partitions(1).recoveryListener(reported::add).build())) {
      assertThat(s.read(0, 0, 100))
          .extracting(e -> e.event().insertId())
          .containsExactly("e0", "e1", "e2", "e4", "e5", "e6", "e7", "e8", "e9");
      assertThat(reported).anyMatch(m -> m.contains("corrupt bytes at offset " + corruptAt));
      Path aside = WalFile.asidePath(wal, corruptAt);
      assertThat(aside).exists();
      byte[] moved = Files.readAllBytes(aside);
      assertThat(ByteBuffer.wrap(moved).getInt(0)).isEqualTo(0x7fff0000);
      // appends go on after the repaired records
      assertThat(s.append(List.of(event("u1", "e10", T0 + 20))).get(0).status())
          .isEqualTo(Status.STORED);
    }
    try (RealtimeStore s = RealtimeStore.open(options(dir).partitions(1).build())) {
      assertThat(s.read(0, 0, 100)).hasSize(10);
      assertThat(s.recoveryReport().problems()).isEmpty();
    }
  }
}
