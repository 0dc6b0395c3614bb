package dev.weir.connectors.kafkasource;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.weir.ingest.AmplitudeFormat;
import dev.weir.ingest.CanonicalFormat;
import dev.weir.ingest.JsonErrors;
import dev.weir.ingest.ParsedEvent;
import dev.weir.ingest.SegmentFormat;
import dev.weir.sdk.Event;
import java.io.IOException;

/** How a record's value becomes an event; one record holds one event. Thread-safe. */
abstract class RecordFormat {
  /**
   * Record values arrive from other teams' producers: refuse pathological JSON instead of choking
   * on it.
   */
  static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .build();

  static {
    JSON.getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(64)
                .maxStringLength(1_000_000)
                .maxNumberLength(100)
                .build());
  }

  /** Thrown for a record that cannot become an event; the message says why. */
  static final class BadRecord extends Exception {
    BadRecord(String message) {
      super(message, null, false, false);
    }
  }

  static RecordFormat named(String name, int minIdLength) {
    return switch (name) {
      case "amplitude" ->
          new RecordFormat() {
            @Override
            ParsedEvent read(JsonParser p, long timestamp) throws IOException {
              return AmplitudeFormat.parse(p, minIdLength, timestamp, null);
            }
          };
      case "segment" ->
          new RecordFormat() {
            @Override
            ParsedEvent read(JsonParser p, long timestamp) throws IOException {
              return SegmentFormat.parse(
                  p.currentToken() == null ? null : JSON.readTree(p), null, timestamp);
            }
          };
      case "canonical" ->
          new RecordFormat() {
            @Override
            ParsedEvent read(JsonParser p, long timestamp) throws IOException {
              return CanonicalFormat.parse(p, timestamp);
            }
          };
      default -> throw new IllegalArgumentException("unknown format '" + name + "'");
    };
  }

  /**
   * Parses the record's bytes; {@code timestamp} (the record timestamp) is the default event time.
   * The upload time is Weir's receive time, set by the host; a value in the record is ignored. The
   * value is read with Jackson's streaming parser, straight into the event's compact form; it is
   * refused as a tree reader would refuse it (malformed JSON, a repeated key, anything after the
   * value).
   */
  final Event parse(byte[] value, long timestamp) throws BadRecord {
    if (value == null) {
      throw new BadRecord("record has no value");
    }
    ParsedEvent parsed;
    try (JsonParser p = JSON.createParser(value)) {
      p.nextToken();
      try {
        parsed = read(p, timestamp);
      } catch (RuntimeException e) {
        // The formats never throw; should one ever, the record is dead-lettered, not the consumer
        // stopped.
        throw new BadRecord("record cannot be read");
      }
      if (p.currentToken() != null && p.nextToken() != null) {
        JSON.readTree(value); // a value followed by another: refused with the tree reader's words
        throw new BadRecord("invalid JSON: more than one value");
      }
    } catch (java.io.IOException e) {
      throw new BadRecord(
          "invalid JSON: " + JsonErrors.describe(e, JSON.getFactory().streamReadConstraints()));
    }
    if (!parsed.ok()) {
      throw new BadRecord(parsed.reason());
    }
    return parsed.event();
  }

  /** Reads the event at the parser's first token (null for an empty value), consuming it. */
  abstract ParsedEvent read(JsonParser p, long timestamp) throws IOException;
}
