package dev.weir.delivery;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.weir.realtime.StoreFileSystem;
import dev.weir.sdk.Event;
import dev.weir.sdk.Ids;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dead letters as one NDJSON file per destination ({@code <dir>/<destination>.ndjson}). Appends are
 * fsynced before they return (and the directory too when the append created the file), so a
 * dead-lettered event is never lost when the cursor moves past it; removal rewrites the file
 * atomically. Every write goes through the {@link StoreFileSystem} seam. Thread-safe.
 *
 * <p>What it writes it reads back unchanged: lines are written in a lossless form of {@link
 * DeadLetter#toMap()} (every non-ASCII character escaped, so lone surrogates survive; non-finite
 * numbers as the {@code NaN}/{@code Infinity} tokens, not as strings), and read without the
 * strictness of input validation: a value the event model can hold but refuses on input (a
 * non-finite {@code location_lat}, {@code price}...) is restored as it was, also from files older
 * versions wrote with such numbers as strings. Only a line that is not JSON at all (a torn write)
 * is skipped, with a warning.
 */
final class DeadLetterStore {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterStore.class);

  /** The file format's mapper: lossless for every value an {@link Event} can hold. */
  static final ObjectMapper FORMAT =
      JsonMapper.builder()
          .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
          .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .build();

  /** Event fields the model holds as doubles but refuses non-finite on input. */
  private static final Map<String, BiConsumer<Event.Builder, Double>> DOUBLE_FIELDS =
      Map.of(
          "location_lat", Event.Builder::locationLat,
          "location_lng", Event.Builder::locationLng,
          "price", Event.Builder::price,
          "revenue", Event.Builder::revenue);

  private final StoreFileSystem fs;
  private final Path dir;

  DeadLetterStore(Path dir) {
    this(StoreFileSystem.DEFAULT, dir);
  }

  DeadLetterStore(StoreFileSystem fs, Path dir) {
    this.fs = fs;
    this.dir = dir;
    try {
      fs.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  synchronized void append(String destination, List<DeadLetter> letters) {
    if (letters.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder();
    for (DeadLetter d : letters) {
      try {
        Map<String, Object> m = d.toMap();
        String line = FORMAT.writeValueAsString(m);
        try {
          FORMAT.readTree(line); // what is written must read back
        } catch (IOException unreadable) {
          // JSON readers refuse a lone surrogate in an object key (values are fine): only such
          // keys get U+FFFD in its place, so the letter stays readable.
          line = FORMAT.writeValueAsString(readableKeys(m));
        }
        sb.append(line).append('\n');
      } catch (IOException e) {
        throw new UncheckedIOException("cannot encode dead letter " + d.id(), e);
      }
    }
    try {
      fs.append(file(destination), sb.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append dead letters for " + destination, e);
    }
  }

  /**
   * The dead letters of {@code destination}, oldest first; {@code reason} null means all reasons.
   */
  synchronized List<DeadLetter> list(String destination, String reason) {
    Path f = file(destination);
    List<DeadLetter> out = new ArrayList<>();
    if (!Files.exists(f)) {
      return out;
    }
    try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        try {
          DeadLetter d =
              fromMap(FORMAT.readValue(line, new TypeReference<Map<String, Object>>() {}));
          if (reason == null || reason.equals(d.reason())) {
            out.add(d);
          }
        } catch (IOException | RuntimeException e) {
          LOG.warn("skipping unreadable dead letter at {}:{}: {}", f, n, e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dead letters of " + destination, e);
    }
    return out;
  }

  /** The destinations that have a dead-letter file. */
  synchronized List<String> destinations() {
    List<String> out = new ArrayList<>();
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".ndjson"))
          .map(n -> n.substring(0, n.length() - ".ndjson".length()))
          .sorted()
          .forEach(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list dead letters in " + dir, e);
    }
    return out;
  }

  /** Removes the dead letters {@code which} selects (the file rewritten atomically); the count. */
  synchronized int removeIf(String destination, java.util.function.Predicate<DeadLetter> which) {
    Set<String> ids = new java.util.HashSet<>();
    for (DeadLetter d : list(destination, null)) {
      if (which.test(d)) {
        ids.add(d.id());
      }
    }
    remove(destination, ids);
    return ids.size();
  }

  /** Removes the dead letters with these ids; unreadable lines are kept as they are. */
  synchronized void remove(String destination, Set<String> ids) {
    Path f = file(destination);
    if (ids.isEmpty() || !Files.exists(f)) {
      return;
    }
    Path tmp = Ids.file(dir, destination, ".ndjson.tmp");
    try {
      List<String> keep = new ArrayList<>();
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        String id = null;
        try {
          Object v = FORMAT.readValue(line, new TypeReference<Map<String, Object>>() {}).get("id");
          id = v == null ? null : v.toString();
        } catch (IOException | RuntimeException ignored) {
          // keep what we cannot read
        }
        if (id == null || !ids.contains(id)) {
          keep.add(line);
        }
      }
      String body = keep.isEmpty() ? "" : String.join("\n", keep) + "\n";
      fs.replace(f, tmp, body.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite dead letters of " + destination, e);
    }
  }

  /** The one place a destination id becomes a file: {@link Ids#file} refuses anything else. */
  private Path file(String destination) {
    return Ids.file(dir, destination, ".ndjson");
  }

  @SuppressWarnings("unchecked")
  private static DeadLetter fromMap(Map<String, Object> m) {
    return new DeadLetter(
        (String) m.get("id"),
        (String) m.get("destination"),
        (String) m.get("reason"),
        (String) m.getOrDefault("classification", "none"),
        ((Number) m.getOrDefault("partition", -1)).intValue(),
        ((Number) m.getOrDefault("sequence", -1)).longValue(),
        event((Map<String, Object>) m.get("event")),
        ((Number) m.getOrDefault("attempts", 0)).intValue(),
        ((Number) m.getOrDefault("first_attempt_at", 0)).longValue(),
        ((Number) m.getOrDefault("last_attempt_at", 0)).longValue(),
        ((Number) m.getOrDefault("last_status_code", 0)).intValue(),
        (String) m.getOrDefault("response", ""),
        ((Number) m.getOrDefault("dead_lettered_at", 0)).longValue());
  }

  /**
   * The stored event, as it was: the event model's reader, except that non-finite doubles (tokens,
   * or the strings older versions wrote) are restored through the builder, which holds them.
   */
  static Event event(Map<String, Object> stored) {
    Map<String, Object> m = new LinkedHashMap<>(stored);
    Map<String, Double> nonFinite = new LinkedHashMap<>();
    DOUBLE_FIELDS
        .keySet()
        .forEach(
            f -> {
              Double d = nonFinite(m.get(f));
              if (d != null) {
                nonFinite.put(f, d);
                m.remove(f);
              }
            });
    Event e = Event.fromMap(m);
    if (nonFinite.isEmpty()) {
      return e;
    }
    Event.Builder b = e.toBuilder();
    nonFinite.forEach((f, d) -> DOUBLE_FIELDS.get(f).accept(b, d));
    return b.build();
  }

  private static Double nonFinite(Object v) {
    if (v instanceof Double d && !Double.isFinite(d)) {
      return d;
    }
    if (v instanceof String s) {
      return switch (s) {
        case "NaN" -> Double.NaN;
        case "Infinity" -> Double.POSITIVE_INFINITY;
        case "-Infinity" -> Double.NEGATIVE_INFINITY;
        default -> null;
      };
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static Object readableKeys(Object v) {
    if (v instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, x) -> out.put(wellFormed(String.valueOf(k)), readableKeys(x)));
      return out;
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(x -> out.add(readableKeys(x)));
      return out;
    }
    return v;
  }

  private static String wellFormed(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        b.append(c).append(s.charAt(++i));
      } else {
        b.append(Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return b.toString();
  }
}
