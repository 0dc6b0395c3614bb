package dev.weir.ingest;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;

/**
 * Reads the ISO-8601 date-times that Segment's and RudderStack's libraries send: with an offset
 * ({@code Z}, {@code +02:00}, {@code +0200}, {@code +02}), without one (taken as UTC, as Segment's
 * spec says timestamps are UTC), or a bare date (midnight UTC); fractions up to nanoseconds. Years
 * outside 0000–9999 are refused, so every accepted value fits a 64-bit millisecond count with room
 * for the skew correction. Stateless.
 */
final class Timestamps {
  static final long MIN_MILLIS =
      OffsetDateTime.parse("0000-01-01T00:00:00Z").toEpochSecond() * 1000;
  static final long MAX_MILLIS =
      OffsetDateTime.parse("9999-12-31T23:59:59.999Z").toInstant().toEpochMilli();

  private static final DateTimeFormatter WITH_OFFSET =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .appendLiteral('T')
          .append(DateTimeFormatter.ISO_LOCAL_TIME)
          .optionalStart()
          .appendOffset("+HH:MM:ss", "Z")
          .optionalEnd()
          .optionalStart()
          .appendOffset("+HHMM", "Z")
          .optionalEnd()
          .optionalStart()
          .appendOffset("+HH", "Z")
          .optionalEnd()
          .toFormatter();

  private Timestamps() {}

  /** Milliseconds since the epoch, or null when {@code text} is not such a date-time. */
  static Long parse(String text) {
    if (text == null || text.length() < 10 || text.length() > 40) {
      return null;
    }
    try {
      long millis;
      if (text.length() == 10) {
        LocalDate d = LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE);
        millis = d.toEpochDay() * 86_400_000L;
      } else {
        TemporalAccessor t = WITH_OFFSET.parse(text);
        LocalDateTime local = LocalDateTime.from(t);
        ZoneOffset offset =
            t.isSupported(ChronoField.OFFSET_SECONDS) ? ZoneOffset.from(t) : ZoneOffset.UTC;
        millis = local.toInstant(offset).toEpochMilli();
      }
      return millis < MIN_MILLIS || millis > MAX_MILLIS ? null : millis;
    } catch (DateTimeException | ArithmeticException e) {
      return null;
    }
  }

  /** Whether {@code millis} is within the years Weir accepts. */
  static boolean inRange(long millis) {
    return millis >= MIN_MILLIS && millis <= MAX_MILLIS;
  }
}
