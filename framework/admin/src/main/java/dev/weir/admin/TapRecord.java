package dev.weir.admin;

import java.util.List;
import java.util.Map;

/**
 * One observation of an event passing through Weir, as the live debugger shows it. Immutable;
 * JSON-ready.
 *
 * @param seq increasing number of this record within the tap
 * @param stage {@code ingested} (accepted by a source, after governance and dedup) or {@code
 *     delivered} / {@code dead_lettered} / {@code retrying} (an outcome at a destination)
 * @param at epoch millis of the observation
 * @param source the source id the event came from
 * @param requestId the ingest request id that follows the event from ingest to delivery (may be
 *     null)
 * @param insertId the event's insert id, which ties delivery records to the ingest record (may be
 *     null)
 * @param eventType the event type
 * @param event the event's canonical JSON object (only for {@code ingested}; else null)
 * @param violations tracking-plan violations as maps with {@code type}, {@code field}, {@code
 *     message}
 * @param duplicate whether the store dropped it as a duplicate
 * @param destination the destination id (delivery stages only)
 * @param detail free text such as the failure reason (delivery stages only; secrets already
 *     removed)
 */
public record TapRecord(
    long seq,
    String stage,
    long at,
    String source,
    String requestId,
    String insertId,
    String eventType,
    Map<String, Object> event,
    List<Map<String, Object>> violations,
    boolean duplicate,
    String destination,
    String detail) {
  public TapRecord {
    violations = violations == null ? List.of() : violations;
  }
}
