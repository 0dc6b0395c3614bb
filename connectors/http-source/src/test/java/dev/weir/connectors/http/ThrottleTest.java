package dev.weir.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The throttle's counters: exact per id and second, bounded, with no map per event. */
class ThrottleTest {
  private static final long T = 1_700_000_000_000L;

  @Test
  void eachIdIsCountedApartPerKindAndTheCountStartsAgainEachSecond() {
    Throttle t = new Throttle(30);

    assertThat(t.countDevice("d1", T)).isEqualTo(1);
    assertThat(t.countDevice("d1", T + 999)).isEqualTo(2);
    assertThat(t.countUser("d1", T)).isEqualTo(1);
    assertThat(t.countDevice("d2", T)).isEqualTo(1);
    assertThat(t.countDevice("d1", T + 1000)).isEqualTo(1);
    assertThat(t.countDevice("d1", T)).as("back to an earlier second: a new window").isEqualTo(1);
  }

  @Test
  void manyIdsInOneSecondAreEachCountedExactlyAsTheTablesGrowAndShrink() {
    Throttle t = new Throttle(30);
    for (int i = 1; i <= 5; i++) {
      assertThat(t.countDevice("hot", T)).isEqualTo(i);
    }
    int ids = 200_000;
    for (int round = 1; round <= 3; round++) {
      for (int i = 0; i < ids; i++) {
        assertThat(t.countUser("user-" + i, T)).isEqualTo(round);
      }
    }
    assertThat(t.countDevice("hot", T)).as("counted before the tables grew").isEqualTo(6);
    assertThat(t.countUser("user-7", T + 1000)).isEqualTo(1);
    for (int i = 0; i < 1000; i++) {
      assertThat(t.countUser("user-" + i, T + 2000)).isEqualTo(1);
      assertThat(t.countUser("user-" + i, T + 2000)).isEqualTo(2);
    }
  }

  @Test
  void idsBeyondWhatAThrottleTracksInOneSecondAreNotCountedAndNotThrottled() {
    Throttle t = new Throttle(30, 64 * 4); // 4 ids per stripe
    int counted = 0;
    int uncounted = 0;
    for (int i = 0; i < 10_000; i++) {
      long c = t.countDevice("device-" + i, T);
      if (c == 0) {
        uncounted++;
      } else {
        counted++;
      }
    }

    assertThat(counted).isEqualTo(64 * 4);
    assertThat(uncounted).isEqualTo(10_000 - 64 * 4);
    assertThat(t.countDevice("device-0", T + 1000)).isEqualTo(1);
  }
}
