package dev.weir.connectors.kafkasource;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.weir.ingest.AmplitudeFormat;
import dev.weir.ingest.ParsedEvent;
import dev.weir.ingest.SegmentFormat;
import dev.weir.sdk.Event;
import java.util.Map;

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
            Event parse(JsonNode node, long timestamp) throws BadRecord {
              return checked(AmplitudeFormat.parse(node, minIdLength, timestamp, null));
            }
          };
      case "segment" ->
          new RecordFormat() {
            @Override
            Event parse(JsonNode node, long timestamp) throws BadRecord {
              return checked(SegmentFormat.parse(node, null, timestamp));
            }
          };
      case "canonical" ->
          new RecordFormat() {
            @Override
            Event parse(JsonNode node, long timestamp) throws BadRecord {
              if (!node.isObject()) {
                throw new BadRecord("record value must be a JSON object");
              }
              try {
                Event event =
                    Event.fromMap(
                        JSON.convertValue(node, new TypeReference<Map<String, Object>>() {}));
                return event.uploadTime() != null
                    ? event
                    : event.toBuilder().uploadTime(timestamp).build();
              } catch (IllegalArgumentException e) {
                throw new BadRecord(e.getMessage());
              }
            }
          };
      default -> throw new IllegalArgumentException("unknown format '" + name + "'");
    };
  }

  /**
   * Parses the record's bytes; {@code timestamp} (the record timestamp) becomes the upload time.
   */
  final Event parse(byte[] value, long timestamp) throws BadRecord {
    if (value == null) {
      throw new BadRecord("record has no value");
    }
    JsonNode node;
    try {
      node = JSON.readTree(value);
    } catch (Exception e) {
      throw new BadRecord("invalid JSON: " + firstLine(e.getMessage()));
    }
    return parse(node, timestamp);
  }

  abstract Event parse(JsonNode node, long timestamp) throws BadRecord;

  private static Event checked(ParsedEvent parsed) throws BadRecord {
    if (!parsed.ok()) {
      throw new BadRecord(parsed.reason());
    }
    return parsed.event();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
