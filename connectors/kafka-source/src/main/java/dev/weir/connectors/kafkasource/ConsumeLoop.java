package dev.weir.connectors.kafkasource;

import dev.weir.sdk.ConnectorMetrics;
import dev.weir.sdk.Event;
import dev.weir.sdk.Health;
import dev.weir.sdk.SourceContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RetriableCommitFailedException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;

/**
 * The consumer thread of one kafka-source connection: poll, parse, submit, wait until durable,
 * dead-letter what cannot be parsed, then commit. When the store cannot take the events, the
 * partitions are rewound to the first record of the poll and nothing is committed, so the records
 * are read again after a backoff.
 */
final class ConsumeLoop implements Runnable {
  static final String HEADER_ERROR = "weir.error";
  static final String HEADER_TOPIC = "weir.source.topic";
  static final String HEADER_PARTITION = "weir.source.partition";
  static final String HEADER_OFFSET = "weir.source.offset";

  private final KafkaSourceSettings settings;
  private final SourceContext context;
  private final Logger log;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> deadLetters;
  private final ConnectorMetrics.Counter consumed;
  private final ConnectorMetrics.Counter submitted;
  private final ConnectorMetrics.Counter deadLettered;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile Health health = Health.up();

  ConsumeLoop(KafkaSourceSettings settings, SourceContext context) {
    this.settings = settings;
    this.context = context;
    this.log = context.logger();
    this.consumer =
        new KafkaConsumer<>(
            consumerConfig(settings), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.deadLetters =
        settings.deadLetterTopic() == null
            ? null
            : new KafkaProducer<>(
                producerConfig(settings), new ByteArraySerializer(), new ByteArraySerializer());
    ConnectorMetrics metrics = context.metrics();
    this.consumed = metrics.counter("records.consumed");
    this.submitted = metrics.counter("events.submitted");
    this.deadLettered = metrics.counter("records.dead_lettered");
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(settings.topics());
      while (running) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
        if (!records.isEmpty()) {
          handle(records);
        }
      }
    } catch (WakeupException e) {
      // stop() woke the consumer up
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      health = Health.down("consumer failed: " + e.getMessage());
      log.error("kafka-source stopped on an unexpected error", e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
      if (deadLetters != null) {
        deadLetters.close(Duration.ofSeconds(5));
      }
      stopped.countDown();
    }
  }

  void stop() throws InterruptedException {
    running = false;
    stopRequested.countDown();
    consumer.wakeup();
    stopped.await(30, TimeUnit.SECONDS);
  }

  Health health() {
    return health;
  }

  private void handle(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
    List<Event> events = new ArrayList<>(records.count());
    List<ConsumerRecord<byte[], byte[]>> bad = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      try {
        events.add(settings.format().parse(record.value(), record.timestamp()));
      } catch (RecordFormat.BadRecord e) {
        bad.add(record);
        reasons.add(e.getMessage());
      }
    }
    consumed.increment(records.count());
    if (!events.isEmpty() && !submit(events)) {
      rewind(records);
      return;
    }
    submitted.increment(events.size());
    if (!deadLetter(bad, reasons)) {
      rewind(records);
      return;
    }
    try {
      consumer.commitSync(nextOffsets(records));
      health = Health.up();
    } catch (CommitFailedException | RetriableCommitFailedException e) {
      // The group rebalanced: another member re-reads these records and the store drops them as
      // duplicates.
      log.warn("offset commit failed after a rebalance: {}", e.getMessage());
    }
  }

  /** Submits and waits until the events are durable; false when the store could not take them. */
  private boolean submit(List<Event> events) throws InterruptedException {
    try {
      context.submit(events).toCompletableFuture().get();
      return true;
    } catch (ExecutionException e) {
      health = Health.degraded("store refused events: " + e.getCause().getMessage());
      log.warn(
          "store refused {} events, retrying in {} ms: {}",
          events.size(),
          settings.retryBackoff().toMillis(),
          e.getCause().getMessage());
      return false;
    }
  }

  private boolean deadLetter(List<ConsumerRecord<byte[], byte[]>> bad, List<String> reasons)
      throws InterruptedException {
    if (bad.isEmpty()) {
      return true;
    }
    if (deadLetters == null) {
      for (int i = 0; i < bad.size(); i++) {
        log.warn(
            "skipping unparseable record {}-{}@{}: {}",
            bad.get(i).topic(),
            bad.get(i).partition(),
            bad.get(i).offset(),
            reasons.get(i));
      }
      deadLettered.increment(bad.size());
      return true;
    }
    try {
      List<java.util.concurrent.Future<?>> sends = new ArrayList<>();
      for (int i = 0; i < bad.size(); i++) {
        ConsumerRecord<byte[], byte[]> r = bad.get(i);
        RecordHeaders headers = new RecordHeaders(r.headers().toArray());
        headers.add(HEADER_ERROR, reasons.get(i).getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_TOPIC, r.topic().getBytes(StandardCharsets.UTF_8));
        headers.add(
            HEADER_PARTITION, Integer.toString(r.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_OFFSET, Long.toString(r.offset()).getBytes(StandardCharsets.UTF_8));
        sends.add(
            deadLetters.send(
                new ProducerRecord<>(
                    settings.deadLetterTopic(), null, r.timestamp(), r.key(), r.value(), headers)));
      }
      for (var send : sends) {
        send.get(30, TimeUnit.SECONDS);
      }
      deadLettered.increment(bad.size());
      return true;
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      health = Health.degraded("dead-letter topic unavailable: " + e.getMessage());
      log.warn(
          "could not write to dead-letter topic {}, retrying: {}",
          settings.deadLetterTopic(),
          e.getMessage());
      return false;
    }
  }

  /** Puts every partition of this poll back to its first record and waits before polling again. */
  private void rewind(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
    for (TopicPartition tp : records.partitions()) {
      consumer.seek(tp, records.records(tp).get(0).offset());
    }
    stopRequested.await(settings.retryBackoff().toMillis(), TimeUnit.MILLISECONDS);
  }

  private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(
      ConsumerRecords<byte[], byte[]> records) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : records.partitions()) {
      List<ConsumerRecord<byte[], byte[]>> list = records.records(tp);
      offsets.put(tp, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
    }
    return offsets;
  }

  private static Map<String, Object> consumerConfig(KafkaSourceSettings s) {
    Map<String, Object> config = new HashMap<>(s.consumerProperties());
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, s.groupId());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, s.maxPollRecords());
    config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return config;
  }

  private static Map<String, Object> producerConfig(KafkaSourceSettings s) {
    Map<String, Object> config = new HashMap<>();
    // The dead-letter producer talks to the same cluster: it takes the connection's security
    // settings only.
    s.consumerProperties()
        .forEach(
            (k, v) -> {
              if (k.startsWith("security.") || k.startsWith("sasl.") || k.startsWith("ssl.")) {
                config.put(k, v);
              }
            });
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return config;
  }
}
