package dev.weir.connectors.kafkasource;

import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Health;
import dev.weir.sdk.SourceConnector;
import dev.weir.sdk.SourceContext;
import java.time.Duration;
import org.pf4j.Extension;

/**
 * Consumes JSON events from Kafka topics with a consumer group. The record timestamp is the default
 * event time (upload time is the host's receive time), offsets are committed only after the store
 * has made the events durable, and records that cannot be parsed go to a dead-letter topic with
 * headers saying why.
 */
@Extension
public final class KafkaSourceConnector extends SourceConnector {
  static final String ID = "kafka-source";

  private volatile ConsumeLoop loop;
  private Thread thread;

  @Override
  public ConnectorSpec spec() {
    return ConnectorSpec.builder(ID)
        .version("0.1.0")
        .displayName("Kafka source")
        .description(
            "Consumes Amplitude-, Segment- or canonical-shaped JSON events from Kafka topics.")
        .settingsSchemaResource(
            KafkaSourceConnector.class, "/weir-kafka-source-settings.schema.json")
        .build();
  }

  @Override
  public void start(SourceContext context) {
    ConsumeLoop l = new ConsumeLoop(KafkaSourceSettings.from(context.settings()), context);
    loop = l;
    thread = new Thread(l, "weir-kafka-source-" + context.connectionId());
    thread.start();
  }

  @Override
  public void stop() throws InterruptedException {
    ConsumeLoop l = loop;
    if (l == null) {
      return;
    }
    l.stop();
    thread.join(Duration.ofSeconds(30).toMillis());
    loop = null;
  }

  @Override
  public Health health() {
    ConsumeLoop l = loop;
    return l == null ? Health.down("not started") : l.health();
  }
}
