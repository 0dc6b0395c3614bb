package dev.weir.connectors.fileexport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.Event;
import dev.weir.sdk.ExportResult;
import dev.weir.testkit.TestContext;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileExportTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /** 2023-11-14T22:00:00Z. */
  static final long T0 = 1_700_000_000_000L - (1_700_000_000_000L % 3_600_000L);

  @TempDir Path tmp;

  /** 90 events over 90 minutes: two hours, with a quote, a comma and a newline in values. */
  static List<Event> events() {
    List<Event> out = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      Map<String, Object> props = new HashMap<>();
      props.put("n", i);
      props.put("label", i == 7 ? "say \"hi\", then\nleave" : "plain");
      out.add(
          Event.builder()
              .eventType(i % 2 == 0 ? "view" : "purchase")
              .userId("u" + i)
              .insertId("id" + i)
              .sourceId("web")
              .time(T0 + i * 60_000L)
              .uploadTime(T0 + i * 60_000L + 1)
              .revenue(i * 1.5)
              .eventProperties(props)
              .build());
    }
    return out;
  }

  private FileExportDestination start(String format, Path dir) throws Exception {
    FileExportDestination d = new FileExportDestination();
    d.start(
        TestContext.builder(d.spec())
            .connectionId("test")
            .settings(
                Map.of(
                    "format",
                    format,
                    "directory",
                    dir.toString(),
                    "staging_dir",
                    tmp.resolve("staging").toString()))
            .build());
    return d;
  }

  static List<Map<String, Object>> duck(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      List<Map<String, Object>> rows = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new HashMap<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  @Test
  void eachChunkIsWrittenPerHourUnderDateAndHourPartitionsWithAManifestListingTheFiles()
      throws Exception {
    Path out = tmp.resolve("out");
    FileExportDestination d = start("ndjson_gz", out);
    ExportResult r = d.export(new ListBatch("p0-0", events()));
    assertThat(r.loaded()).isEqualTo(90);
    Path h22 = out.resolve("dt=2023-11-14/hour=22/p0-0.ndjson.gz");
    Path h23 = out.resolve("dt=2023-11-14/hour=23/p0-0.ndjson.gz");
    assertThat(h22).exists();
    assertThat(h23).exists();
    JsonNode manifest = JSON.readTree(out.resolve("_manifests/p0-0.json").toFile());
    assertThat(manifest.get("chunk_id").asText()).isEqualTo("p0-0");
    assertThat(manifest.get("rows").asLong()).isEqualTo(90);
    assertThat(manifest.get("files")).hasSize(2);
    assertThat(manifest.get("files").get(0).get("path").asText())
        .isEqualTo("dt=2023-11-14/hour=22/p0-0.ndjson.gz");
    assertThat(manifest.get("files").get(0).get("rows").asLong()).isEqualTo(60);

    List<Event> back = new ArrayList<>();
    for (Path p : List.of(h22, h23)) {
      try (BufferedReader br =
          new BufferedReader(
              new InputStreamReader(
                  new GZIPInputStream(Files.newInputStream(p)), StandardCharsets.UTF_8))) {
        for (String line; (line = br.readLine()) != null; ) {
          @SuppressWarnings("unchecked")
          Map<String, Object> m = JSON.readValue(line, Map.class);
          back.add(Event.fromMap(m));
        }
      }
    }
    assertThat(back).containsExactlyElementsOf(events());
  }

  @Test
  void reExportingAChunkReplacesItsFilesInsteadOfAddingCopies() throws Exception {
    Path out = tmp.resolve("out");
    FileExportDestination d = start("csv", out);
    d.export(new ListBatch("p1-5", events()));
    d.export(new ListBatch("p1-5", events()));
    try (var s = Files.walk(out)) {
      assertThat(
              s.filter(Files::isRegularFile)
                  .map(p -> out.relativize(p).toString())
                  .sorted()
                  .toList())
          .containsExactly(
              "_manifests/p1-5.json",
              "dt=2023-11-14/hour=22/p1-5.csv",
              "dt=2023-11-14/hour=23/p1-5.csv");
    }
    assertThat(tmp.resolve("staging/weir-file-export-test"))
        .isEmptyDirectory(); // build files cleaned up
  }

  @Test
  void csvFilesParseBackWithTheSameValuesIncludingQuotesCommasAndNewlines() throws Exception {
    Path out = tmp.resolve("out");
    start("csv", out).export(new ListBatch("p0-0", events()));
    List<Map<String, Object>> rows =
        duck(
            "SELECT insert_id, revenue, json_extract_string(event_properties, '$.label')"
                + " AS label FROM read_csv('"
                + out
                + "/dt=*/hour=*/*.csv', header = true, all_varchar = true)"
                + " ORDER BY CAST(substr(insert_id, 3) AS INTEGER)");
    assertThat(rows).hasSize(90);
    assertThat(rows.get(7))
        .containsEntry("label", "say \"hi\", then\nleave")
        .containsEntry("revenue", "10.5");
  }

  @Test
  void parquetFilesReadBackWithDuckDbWithTheSameCountsAndValues() throws Exception {
    Path out = tmp.resolve("out");
    start("parquet", out).export(new ListBatch("p0-0", events()));
    List<Map<String, Object>> rows =
        duck(
            "SELECT insert_id, event_type, time, revenue, "
                + "CAST(event_properties->>'n' AS INTEGER) AS n, event_properties->>'label' AS label FROM read_parquet('"
                + out
                + "/dt=*/hour=*/*.parquet') ORDER BY time");
    assertThat(rows).hasSize(90);
    List<Event> expected = events();
    for (int i = 0; i < 90; i++) {
      Event e = expected.get(i);
      assertThat(rows.get(i))
          .containsEntry("insert_id", e.insertId())
          .containsEntry("event_type", e.eventType())
          .containsEntry("time", e.time())
          .containsEntry("revenue", e.revenue())
          .containsEntry("n", i)
          .containsEntry("label", e.eventProperties().get("label"));
    }
  }

  /** Reads every exported file of {@code format} under {@code out} with DuckDB. */
  static String reader(String format, Path out) {
    return switch (format) {
      case "csv" -> "read_csv('" + out + "/dt=*/hour=*/*.csv', header = true, all_varchar = true)";
      case "parquet" -> "read_parquet('" + out + "/dt=*/hour=*/*.parquet')";
      default ->
          "read_json('"
              + out
              + "/dt=*/hour=*/*.ndjson.gz', format = 'newline_delimited', columns = "
              + Columns.duckDbStruct()
              + ")";
    };
  }

  void aDeletedUsersRowsGoFromEveryFileAndManifestOthersStayAsTheyWere(String format)
      throws Exception {
    Path out = tmp.resolve("out-" + format);
    FileExportDestination d = start(format, out);
    List<Event> rows = new ArrayList<>(events()); // u7 has the quote, comma and newline
    Event u7 = rows.get(7);
    rows.add(u7.toBuilder().insertId("q7").sourceId("web:quarantine").build());
    rows.add(u7.toBuilder().insertId("a7").sourceId("app").build());
    rows.add(u7.toBuilder().insertId("d7").userId(null).deviceId("dev-of-u7").build());
    rows.add(u7.toBuilder().insertId("d8").userId(null).deviceId("dev-of-u8").build());
    d.export(new ListBatch("p0-0", rows.subList(0, 60)));
    d.export(new ListBatch("p0-1", rows.subList(60, rows.size())));
    String before =
        duck("SELECT count(*) AS n FROM " + reader(format, out)).get(0).get("n").toString();
    assertThat(before).isEqualTo("94");

    assertThat(d.deletesUsers()).isTrue();
    long deleted =
        d.deleteUser(
            new dev.weir.sdk.UserDeletion("del-1", "web", "u7", java.util.Set.of("dev-of-u7")));

    // u7's row, its quarantine copy and the device-only row of its device
    assertThat(deleted).isEqualTo(3);
    List<Map<String, Object>> left =
        duck(
            "SELECT insert_id, json_extract_string(event_properties, '$.label') AS label FROM "
                + reader(format, out));
    assertThat(left).hasSize(91);
    assertThat(left.stream().map(m -> m.get("insert_id")))
        .contains("a7", "d8", "id6", "id8")
        .doesNotContain("id7", "q7", "d7");
    assertThat(left.stream().filter(m -> "a7".equals(m.get("insert_id"))).findFirst().get())
        .as("a kept row keeps its quote, comma and newline")
        .containsEntry("label", "say \"hi\", then\nleave");
    long manifested = 0;
    for (String chunk : List.of("p0-0", "p0-1")) {
      JsonNode m = JSON.readTree(out.resolve("_manifests/" + chunk + ".json").toFile());
      long files = 0;
      for (JsonNode f : m.get("files")) {
        files += f.get("rows").asLong();
        assertThat(f.get("bytes").asLong())
            .isEqualTo(Files.size(out.resolve(f.get("path").asText())));
      }
      assertThat(m.get("rows").asLong()).isEqualTo(files);
      manifested += files;
    }
    assertThat(manifested).as("the manifests count what the files hold").isEqualTo(91);
    try (var s = Files.walk(out)) {
      assertThat(s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList())
          .as("no temp file left behind")
          .isEmpty();
    }
  }

  @Test
  void aDeletedUsersRowsGoFromNdjsonExports() throws Exception {
    aDeletedUsersRowsGoFromEveryFileAndManifestOthersStayAsTheyWere("ndjson_gz");
  }

  @Test
  void aDeletedUsersRowsGoFromCsvExports() throws Exception {
    aDeletedUsersRowsGoFromEveryFileAndManifestOthersStayAsTheyWere("csv");
  }

  @Test
  void aDeletedUsersRowsGoFromParquetExports() throws Exception {
    aDeletedUsersRowsGoFromEveryFileAndManifestOthersStayAsTheyWere("parquet");
  }
}
