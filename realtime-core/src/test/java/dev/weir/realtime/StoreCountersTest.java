package dev.weir.realtime;

import static dev.weir.realtime.TestEvents.T0;
import static dev.weir.realtime.TestEvents.event;
import static dev.weir.realtime.TestEvents.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreCountersTest {
  @TempDir Path dir;

  @Test
  void storedAndDuplicateCountsSurviveARestart() throws Exception {
    try (RealtimeStore s = RealtimeStore.open(options(dir).build())) {
      s.append(List.of(event("u1", "a", T0), event("u2", "b", T0), event("u3", "c", T0)));
      s.append(List.of(event("u1", "a", T0 + 1)));
      assertThat(s.stats().stored()).isEqualTo(3);
      assertThat(s.stats().duplicates()).isEqualTo(1);
    }
    try (RealtimeStore s = RealtimeStore.open(options(dir).build())) {
      assertThat(s.stats().stored()).isEqualTo(3);
      assertThat(s.stats().duplicates()).isEqualTo(1);
      s.append(List.of(event("u4", "d", T0 + 2)));
      assertThat(s.stats().stored()).isEqualTo(4);
    }
  }

  @Test
  void afterACrashTheStoredCountIsDerivedFromTheStoredEvents() throws Exception {
    RealtimeStore s = RealtimeStore.open(options(dir).partitions(1).build());
    s.append(List.of(event("u1", "a", T0), event("u2", "b", T0)));
    // no close: the directory lock is released, nothing else is saved
    java.lang.reflect.Field lock = RealtimeStore.class.getDeclaredField("dirLock");
    lock.setAccessible(true);
    ((java.nio.channels.FileLock) lock.get(s)).release();
    try (RealtimeStore again = RealtimeStore.open(options(dir).partitions(1).build())) {
      assertThat(again.stats().stored()).isEqualTo(2);
    }
  }
}
