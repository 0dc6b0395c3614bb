package dev.weir.delivery;

import dev.weir.delivery.bench.HttpBatchDestination;
import dev.weir.sdk.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import okhttp3.OkHttpClient;

/**
 * The process {@link ProcessKillIT} kills: builds the same deterministic log every time, delivers
 * it to the URL with a durable state directory, and exits 0 once nothing is left to deliver. Args:
 * stateDir url events.
 */
public final class CrashChild {
  private CrashChild() {}

  public static void main(String[] args) {
    Path stateDir = Path.of(args[0]);
    String url = args[1];
    int events = Integer.parseInt(args[2]);
    InMemoryDeliveryLog log = new InMemoryDeliveryLog(2);
    for (int i = 0; i < events; i++) {
      log.append(
          i % 2,
          Event.builder()
              .eventType("e")
              .userId("user-" + (i % 50))
              .insertId("ins-" + i)
              .uploadTime(System.currentTimeMillis())
              .eventProperties(Map.of("n", i))
              .build());
    }
    DeliveryEngine engine = DeliveryEngine.builder().log(log).stateDir(stateDir).build();
    engine.addDestination(
        DestinationConfig.builder("hook")
            .maxBatchEvents(100)
            .maxBatchDelay(Duration.ofMillis(20))
            .workers(2)
            .maxInFlightBatches(2)
            .maxOutstandingEvents(400)
            .initialBackoff(Duration.ofMillis(20))
            .build(),
        new HttpBatchDestination(new OkHttpClient(), url, null));
    engine.start();
    while (engine.status("hook").lagEvents() > 0) {
      LockSupport.parkNanos(5_000_000);
    }
    engine.stop();
    System.exit(0);
  }
}
