package dev.weir.connectors.fileexport;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.Event;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Writes a list of events to a local file in one of the {@link Format}s. Stateless. */
final class FileWriters {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FileWriters() {}

  static void write(Format format, List<Event> events, Path out) throws IOException {
    switch (format) {
      case NDJSON_GZ -> {
        try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(out), 1 << 16)) {
          ndjson(events, os);
        }
      }
      case CSV -> csv(events, out);
      case PARQUET -> parquet(events, out);
      default -> throw new IllegalStateException(format.toString());
    }
  }

  private static void ndjson(List<Event> events, OutputStream os) throws IOException {
    Writer w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16);
    for (Event e : events) {
      w.write(JSON.writeValueAsString(e.toMap()));
      w.write('\n');
    }
    w.flush();
  }

  /**
   * RFC 4180 CSV with a header of the canonical field names; objects and lists as JSON text; absent
   * = empty.
   */
  private static void csv(List<Event> events, Path out) throws IOException {
    try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      w.write(String.join(",", Columns.TYPES.keySet()));
      w.write("\r\n");
      for (Event e : events) {
        Map<String, Object> m = e.toMap();
        boolean first = true;
        for (String f : Columns.TYPES.keySet()) {
          if (!first) {
            w.write(',');
          }
          first = false;
          Object v = m.get(f);
          if (v == null) {
            continue;
          }
          String s = Columns.isJson(f) ? JSON.writeValueAsString(v) : v.toString();
          w.write('"');
          w.write(s.replace("\"", "\"\""));
          w.write('"');
        }
        w.write("\r\n");
      }
    }
  }

  /**
   * Parquet through DuckDB: the events as NDJSON, read back with a fixed column schema and written
   * with DuckDB's Parquet writer (zstd), so every file has the same schema whatever fields a chunk
   * happens to use.
   */
  private static void parquet(List<Event> events, Path out) throws IOException {
    Path json = out.resolveSibling(out.getFileName() + ".ndjson");
    try {
      try (OutputStream os = Files.newOutputStream(json)) {
        ndjson(events, os);
      }
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement st = c.createStatement()) {
        st.execute("SET threads TO 1");
        st.execute(
            "COPY (SELECT * FROM read_json("
                + literal(json)
                + ", format = 'newline_delimited', columns = "
                + Columns.duckDbStruct()
                + ")) TO "
                + literal(out)
                + " (FORMAT parquet, COMPRESSION zstd)");
      } catch (SQLException e) {
        throw new IOException("writing parquet failed: " + e.getMessage(), e);
      }
    } finally {
      Files.deleteIfExists(json);
    }
  }

  private static String literal(Path p) {
    return "'" + p.toAbsolutePath().toString().replace("'", "''") + "'";
  }
}
