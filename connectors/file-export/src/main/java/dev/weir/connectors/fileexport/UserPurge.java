package dev.weir.connectors.fileexport;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.UserDeletion;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Removes one user's rows from every exported file: for each manifest, each listed file is read,
 * and when it holds rows of the user (the source's or its quarantine copy's rows with the user's
 * id, or rows without a user id of the user's devices) it is rewritten without them through {@link
 * Storage#put} (durable and atomic per file: temp file, fsync, rename, directory fsync), and then
 * the manifest with its new row counts. Kept rows stay byte for byte in NDJSON and CSV; Parquet is
 * rewritten by DuckDB with the same schema. A file left with no rows stays, empty, so manifests
 * keep listing what exists. Idempotent: a deletion interrupted half way is run again from the
 * start. Not thread-safe: the destination serializes it with its exports.
 */
final class UserPurge {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Storage storage;
  private final Path work;

  /** Purges in {@code storage}, with scratch files in the directory {@code work}. */
  UserPurge(Storage storage, Path work) {
    this.storage = storage;
    this.work = work;
  }

  /** The number of rows removed from every exported file. */
  long purge(UserDeletion r) throws IOException {
    long removed = 0;
    for (String key : storage.list("_manifests/")) {
      if (key.endsWith(".json")) {
        removed += purgeChunk(key, r);
      }
    }
    return removed;
  }

  private long purgeChunk(String manifestKey, UserDeletion r) throws IOException {
    Path m = work.resolve("manifest.json");
    storage.get(manifestKey, m);
    Map<String, Object> manifest =
        JSON.readValue(m.toFile(), new TypeReference<Map<String, Object>>() {});
    Format format = Format.of(String.valueOf(manifest.get("format")));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> files =
        (List<Map<String, Object>>) manifest.getOrDefault("files", List.of());
    long removed = 0;
    for (Map<String, Object> f : files) {
      String key = String.valueOf(f.get("path"));
      Path in = work.resolve("in" + format.extension);
      Path out = work.resolve("out" + format.extension);
      storage.get(key, in);
      long[] keptRemoved = filter(format, in, out, r);
      Files.deleteIfExists(in);
      if (keptRemoved[1] > 0) {
        storage.put(key, out);
        f.put("rows", keptRemoved[0]);
        f.put("bytes", Files.size(out));
        removed += keptRemoved[1];
      }
      Files.deleteIfExists(out);
    }
    if (removed > 0) {
      manifest.put(
          "rows", files.stream().mapToLong(f -> ((Number) f.get("rows")).longValue()).sum());
      Files.write(m, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
      storage.put(manifestKey, m);
    }
    Files.deleteIfExists(m);
    return removed;
  }

  /** Writes {@code in}'s rows that are not the user's to {@code out}; {kept, removed}. */
  private static long[] filter(Format format, Path in, Path out, UserDeletion r)
      throws IOException {
    return switch (format) {
      case NDJSON_GZ -> ndjson(in, out, r);
      case CSV -> csv(in, out, r);
      case PARQUET -> parquet(in, out, r);
    };
  }

  static boolean matches(UserDeletion r, Object source, Object user, Object device) {
    if (!r.sourceId().equals(source) && !(r.sourceId() + ":quarantine").equals(source)) {
      return false;
    }
    if (user == null || "".equals(user)) {
      return device != null && r.deviceIds().contains(device.toString());
    }
    return r.userId().equals(user.toString());
  }

  private static long[] ndjson(Path in, Path out, UserDeletion r) throws IOException {
    long kept = 0;
    long removed = 0;
    try (BufferedReader rd =
            new BufferedReader(
                new InputStreamReader(
                    new GZIPInputStream(Files.newInputStream(in), 1 << 16),
                    StandardCharsets.UTF_8));
        Writer w =
            new BufferedWriter(
                new OutputStreamWriter(
                    new GZIPOutputStream(Files.newOutputStream(out), 1 << 16),
                    StandardCharsets.UTF_8))) {
      for (String line; (line = rd.readLine()) != null; ) {
        if (line.isEmpty()) {
          continue;
        }
        Map<String, Object> e = JSON.readValue(line, new TypeReference<Map<String, Object>>() {});
        if (matches(r, e.get("source_id"), e.get("user_id"), e.get("device_id"))) {
          removed++;
        } else {
          w.write(line);
          w.write('\n');
          kept++;
        }
      }
    }
    return new long[] {kept, removed};
  }

  /** The RFC 4180 file {@link FileWriters} writes: kept records are copied as they were. */
  private static long[] csv(Path in, Path out, UserDeletion r) throws IOException {
    String text = Files.readString(in, StandardCharsets.UTF_8);
    long kept = 0;
    long removed = 0;
    int source = -1;
    int user = -1;
    int device = -1;
    try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      int at = 0;
      boolean header = true;
      while (at < text.length()) {
        List<String> fields = new ArrayList<>();
        int end = record(text, at, fields);
        String raw = text.substring(at, end);
        at = end;
        if (header) {
          source = fields.indexOf("source_id");
          user = fields.indexOf("user_id");
          device = fields.indexOf("device_id");
          if (source < 0 || user < 0 || device < 0) {
            throw new IOException("CSV export file has no source_id, user_id or device_id column");
          }
          header = false;
          w.write(raw);
          continue;
        }
        if (raw.isBlank()) {
          continue;
        }
        if (matches(r, fields.get(source), fields.get(user), fields.get(device))) {
          removed++;
        } else {
          w.write(raw);
          kept++;
        }
      }
    }
    return new long[] {kept, removed};
  }

  /**
   * Parses the record starting at {@code at} into {@code fields} (unquoted); the index after its
   * line break.
   */
  private static int record(String text, int at, List<String> fields) {
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    int i = at;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
            field.append('"');
            i += 2;
            continue;
          }
          quoted = false;
        } else {
          field.append(c);
        }
        i++;
      } else if (c == '"') {
        quoted = true;
        i++;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
        i++;
      } else if (c == '\n' || c == '\r') {
        i += c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n' ? 2 : 1;
        break;
      } else {
        field.append(c);
        i++;
      }
    }
    fields.add(field.toString());
    return i;
  }

  private static long[] parquet(Path in, Path out, UserDeletion r) throws IOException {
    String devices =
        r.deviceIds().isEmpty()
            ? "NULL"
            : r.deviceIds().stream().map(UserPurge::literal).collect(Collectors.joining(", "));
    String match =
        "coalesce(source_id IN ("
            + literal(r.sourceId())
            + ", "
            + literal(r.sourceId() + ":quarantine")
            + ") AND (user_id = "
            + literal(r.userId())
            + " OR ((user_id IS NULL OR user_id = '') AND device_id IN ("
            + devices
            + "))), false)";
    String file = "read_parquet(" + literal(in.toAbsolutePath().toString()) + ")";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute("SET threads TO 1");
      long removed;
      long total;
      try (ResultSet rs =
          st.executeQuery("SELECT count(*) FILTER (WHERE " + match + "), count(*) FROM " + file)) {
        rs.next();
        removed = rs.getLong(1);
        total = rs.getLong(2);
      }
      if (removed > 0) {
        st.execute(
            "COPY (SELECT * FROM "
                + file
                + " WHERE NOT "
                + match
                + ") TO "
                + literal(out.toAbsolutePath().toString())
                + " (FORMAT parquet, COMPRESSION zstd)");
      }
      return new long[] {total - removed, removed};
    } catch (SQLException e) {
      throw new IOException("rewriting parquet failed: " + e.getMessage(), e);
    }
  }

  private static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
