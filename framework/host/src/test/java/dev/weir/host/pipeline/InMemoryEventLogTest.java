package dev.weir.host.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.sdk.Event;
import dev.weir.sdk.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryEventLogTest {
  private static List<Event> events(int n, int from) {
    List<Event> out = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      out.add(Event.builder().eventType("E" + i).deviceId("one-device").build());
    }
    return out;
  }

  @Test
  void sequencesStayStableAcrossReleasesAndCompaction() {
    EventLog log = EventLog.inMemory(1, 100_000);
    log.append(events(10_000, 0));
    log.release(0, 5_000); // compacts (more than half released)
    assertThat(log.read(0, 0, 3)).extracting(EventLog.Entry::seq).containsExactly(5_000L, 5_001L, 5_002L);
    assertThat(log.read(0, 9_998, 10)).extracting(e -> e.event().eventType()).containsExactly("E9998", "E9999");
    log.release(0, 5_010); // released but not yet compacted
    assertThat(log.read(0, 5_000, 1).get(0).seq()).isEqualTo(5_010L);
    log.append(events(5, 10_000));
    assertThat(log.endSeq(0)).isEqualTo(10_005L);
    assertThat(log.read(0, 10_004, 5).get(0).event().eventType()).isEqualTo("E10004");
  }

  @Test
  void releasedEventsFreeCapacity() {
    EventLog log = EventLog.inMemory(1, 10);
    log.append(events(10, 0));
    assertThatThrownBy(() -> log.append(events(1, 10))).isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("full");
    log.release(0, 4);
    log.append(events(4, 10));
    assertThat(log.endSeq(0)).isEqualTo(14);
  }

  @Test
  void closedLogRefusesAppendsButStaysReadableAndWakesWaiters() throws Exception {
    EventLog log = EventLog.inMemory(2, 10);
    log.append(events(2, 0));
    long seen = log.appendCount();
    log.close();
    assertThat(log.awaitAppend(seen, Duration.ofSeconds(5))).isTrue();
    assertThatThrownBy(() -> log.append(events(1, 2))).isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("shutting down");
    int p = ((InMemoryEventLog) log).partitionOf(events(1, 0).get(0));
    assertThat(log.read(p, 0, 10)).hasSize(2);
  }
}
