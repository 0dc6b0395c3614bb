package dev.weir.connectors.kafkasource;

import dev.weir.sdk.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The validated settings of one kafka-source connection. */
record KafkaSourceSettings(
    String bootstrapServers,
    List<String> topics,
    String groupId,
    RecordFormat format,
    String deadLetterTopic,
    int maxPollRecords,
    Duration retryBackoff,
    Map<String, Object> consumerProperties) {

  static KafkaSourceSettings from(Settings s) {
    return new KafkaSourceSettings(
        s.requireString("bootstrap_servers"),
        s.strings("topics"),
        s.string("group_id", "weir"),
        RecordFormat.named(s.string("format", "amplitude"), s.intValue("min_id_length", 5)),
        s.string("dead_letter_topic").orElse(null),
        s.intValue("max_poll_records", 500),
        s.millis("retry_backoff_ms", Duration.ofSeconds(1)),
        s.section("consumer_properties").asMap());
  }
}
