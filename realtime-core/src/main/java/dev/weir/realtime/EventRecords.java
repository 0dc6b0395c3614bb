package dev.weir.realtime;

import dev.weir.sdk.Event;

/**
 * The store's encoding of one event, for logs kept outside the store (cluster mode writes these
 * bytes to Kafka and the store reads them back without decoding), and the store's partition
 * function. Whatever format the store's write-ahead records use, these are the same bytes.
 * Stateless and thread-safe.
 */
public final class EventRecords {
  private EventRecords() {}

  /** The event's record bytes, as the store's write-ahead files hold them. */
  public static byte[] encode(Event event) {
    return WalFile.eventBytes(event);
  }

  /** The event a record holds. @throws java.io.UncheckedIOException when it is not a record */
  public static Event decode(byte[] record) {
    return Records.decode(record, 0, record.length);
  }

  /**
   * The partition of an identity (the user id, else the device id; {@link Event#identity()}) among
   * {@code partitions}: stable across JVMs and versions, the same function the store uses.
   */
  public static int partitionOf(String identity, int partitions) {
    return Keys.partitionOf(identity, partitions);
  }
}
