package dev.weir.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** JSON in and out of admin handlers. Stateless; thread-safe. */
final class HttpJson {
  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .setPropertyNamingStrategy(
              com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);

  private HttpJson() {}

  static void send(Context ctx, int status, Object body) {
    try {
      ctx.status(status).contentType("application/json").result(MAPPER.writeValueAsString(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void ok(Context ctx, Object body) {
    send(ctx, 200, body);
  }

  static String write(Object body) {
    try {
      return MAPPER.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The request body as a JSON tree; an empty body is an empty object. */
  static JsonNode body(Context ctx) {
    String text = ctx.body();
    if (text.isBlank()) {
      return MAPPER.createObjectNode();
    }
    try {
      return MAPPER.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(
          "request body is not valid JSON: " + withoutLibraryNames(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new IllegalArgumentException("request body is not valid JSON");
    }
  }

  /**
   * A parser's message without the library's own names: "(1000, from `StreamReadConstraints...`)"
   * keeps "(1000)", a "(set `JsonReadFeature...` to allow)" hint goes.
   */
  static String withoutLibraryNames(String message) {
    if (message == null) {
      return "";
    }
    return message
        .replaceAll(",\\s*from `[^`]*`", "")
        .replaceAll("\\s*\\([^()]*`[^()]*\\)", "")
        .trim();
  }

  /** An instant given as ISO-8601 text or epoch milliseconds; null when absent. */
  static Instant instant(String name, String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      Instant i =
          text.chars().allMatch(Character::isDigit)
              ? Instant.ofEpochMilli(Long.parseLong(text))
              : Instant.parse(text);
      i.toEpochMilli(); // every caller works in epoch millis: refuse what they cannot hold
      return i;
    } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(
          name + " must be ISO-8601 (2026-01-31T12:00:00Z) or epoch millis, got '" + text + "'");
    }
  }

  static Instant instant(JsonNode node, String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    return v.isNumber() ? Instant.ofEpochMilli(v.asLong()) : instant(name, v.asText());
  }

  static int intParam(Context ctx, String name, int dflt, int max) {
    String v = ctx.queryParam(name);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < 1) {
        throw new NumberFormatException();
      }
      return Math.min(n, max);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a positive integer, got '" + v + "'");
    }
  }
}
