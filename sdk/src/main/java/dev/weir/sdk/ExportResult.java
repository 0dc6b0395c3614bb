package dev.weir.sdk;

import java.util.List;
import java.util.Objects;

/**
 * The result of a committed export: how many rows were loaded and which were refused (they go to
 * the dead-letter store). Immutable.
 *
 * @param loaded rows durably written
 * @param rejected rows the destination refused, by index within the batch
 */
public record ExportResult(long loaded, List<RejectedRow> rejected) {
  public ExportResult {
    rejected = List.copyOf(Objects.requireNonNull(rejected, "rejected"));
  }

  public static ExportResult committed(long loaded) {
    return new ExportResult(loaded, List.of());
  }

  /**
   * One refused row.
   *
   * @param index position of the row in {@link ExportBatch#rows()}
   * @param reason why, as the destination said it; must not contain secrets
   */
  public record RejectedRow(long index, String reason) {}
}
