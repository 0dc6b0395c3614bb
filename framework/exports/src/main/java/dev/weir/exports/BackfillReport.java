package dev.weir.exports;

/**
 * What a backfill re-exported: whole chunks overlapping the asked range (only chunks the store
 * still holds).
 *
 * @param destination the batch destination
 * @param chunks chunks re-exported
 * @param rowsLoaded rows the destination committed
 * @param rowsRejected rows it refused (reported to the {@link ExportListener})
 */
public record BackfillReport(String destination, int chunks, long rowsLoaded, long rowsRejected) {}
