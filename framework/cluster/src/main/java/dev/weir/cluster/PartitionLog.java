package dev.weir.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * How a partition's log is written to the stored and state topics. A stored record's value is the
 * store's record bytes; the first record of each applied batch carries the header {@value #BATCH}
 * (first sequence, clock before the batch, record count), so a rebuild applies exactly the same
 * batches. A record without a value and with the header {@value #CLOCK} (epoch ms) is a clock step:
 * in the events topic an ingest node's tick (the highest upload time Kafka acknowledged to it), in
 * the stored topic the step the owner's partition took to follow it, replayed in the same place.
 * The state topic holds one {@link Checkpoint} per partition under {@link #checkpointKey}.
 * Stateless.
 */
final class PartitionLog {
  static final String BATCH = "weir.batch";
  static final String CLOCK = "weir.clock";

  /** The offset a replay starts at when the partition's log has no earlier anchor: its start. */
  static final long FROM_START = -1;

  private PartitionLog() {}

  static byte[] batchHeader(long firstSequence, long clockBefore, int records) {
    return ByteBuffer.allocate(20)
        .putLong(firstSequence)
        .putLong(clockBefore)
        .putInt(records)
        .array();
  }

  /** A batch's header, or null when the record does not start a batch. */
  static Batch batchOf(Headers headers) {
    Header h = headers.lastHeader(BATCH);
    if (h == null) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(h.value());
    return new Batch(b.getLong(), b.getLong(), b.getInt());
  }

  static byte[] clockHeader(long millis) {
    return ByteBuffer.allocate(8).putLong(millis).array();
  }

  /** The clock (epoch ms) a clock-step record carries, or -1 when the record is not one. */
  static long clockOf(byte[] value, Headers headers) {
    Header h = headers.lastHeader(CLOCK);
    if (value != null || h == null || h.value() == null || h.value().length != 8) {
      return -1;
    }
    return ByteBuffer.wrap(h.value()).getLong();
  }

  /** The start of one applied batch in the stored topic. */
  record Batch(long firstSequence, long clockBefore, int records) {}

  static byte[] checkpointKey(int partition) {
    return ("p" + partition + "/checkpoint").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * What a new owner needs to take a partition over: its next sequence, where in the stored topic a
   * rebuild starts ({@code replayFromOffset}, the first record of the batch holding {@code
   * replayFromSequence}, or {@link #FROM_START}) and its counters. Written in the same transaction
   * as the batch it follows, so it never runs ahead of the log; {@code clock} is the partition's
   * data clock after it (clock steps included). Readable text: {@code
   * next_seq=12;replay_from_seq=0;...}.
   */
  record Checkpoint(
      long nextSequence,
      long replayFromSequence,
      long replayFromOffset,
      long stored,
      long duplicates,
      long clock) {

    byte[] bytes() {
      return ("next_seq="
              + nextSequence
              + ";replay_from_seq="
              + replayFromSequence
              + ";replay_from_offset="
              + replayFromOffset
              + ";stored="
              + stored
              + ";duplicates="
              + duplicates
              + ";clock="
              + clock)
          .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @throws IllegalArgumentException when the bytes are not a checkpoint
     */
    static Checkpoint parse(byte[] bytes) {
      Map<String, Long> v = new LinkedHashMap<>();
      for (String part : new String(bytes, StandardCharsets.UTF_8).split(";")) {
        int eq = part.indexOf('=');
        if (eq < 0) {
          throw new IllegalArgumentException("not a partition checkpoint: " + part);
        }
        v.put(part.substring(0, eq), Long.parseLong(part.substring(eq + 1)));
      }
      return new Checkpoint(
          need(v, "next_seq"),
          need(v, "replay_from_seq"),
          need(v, "replay_from_offset"),
          need(v, "stored"),
          need(v, "duplicates"),
          need(v, "clock"));
    }

    private static long need(Map<String, Long> v, String key) {
      Long x = v.get(key);
      if (x == null) {
        throw new IllegalArgumentException("partition checkpoint without " + key);
      }
      return x;
    }
  }
}
