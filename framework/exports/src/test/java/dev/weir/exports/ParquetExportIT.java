package dev.weir.exports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.connectors.fileexport.FileExportDestination;
import dev.weir.realtime.RealtimeStore;
import dev.weir.sdk.Event;
import dev.weir.testkit.TestContext;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chunks of a real store exported by the scheduler to Parquet files, read back with DuckDB. */
class ParquetExportIT {
  @TempDir Path tmp;

  @Test
  void parquetFilesReadBackWithDuckDbHoldExactlyTheStoresChunkedEventsAndValues() throws Exception {
    Path out = tmp.resolve("lake");
    try (RealtimeStore store = TestStores.open(tmp.resolve("store"))) {
      List<Event> in =
          new ArrayList<>(TestStores.events(0, 200, 0, 90, "view", Map.of("plan", "pro", "n", 1)));
      in.addAll(
          TestStores.events(
              200, 100, 90, 30, "purchase", Map.of("amount", 9.99, "tags", List.of("a", "b"))));
      TestStores.append(store, in);
      FileExportDestination parquet = new FileExportDestination();
      parquet.start(
          TestContext.of(
              parquet.spec(),
              Map.of(
                  "format",
                  "parquet",
                  "directory",
                  out.toString(),
                  "staging_dir",
                  tmp.resolve("staging").toString())));
      try (ExportScheduler s =
          ExportScheduler.builder(store, tmp.resolve("state"))
              .destination("lake", parquet)
              .build()) {
        assertThat(s.runOnce().get("lake")).isEqualTo(store.chunks().size());
      }
      parquet.stop();
      List<Event> expected = TestStores.chunkedEvents(store);
      expected.sort(Comparator.comparing(Event::insertId));
      assertThat(expected).hasSizeGreaterThan(100);

      ObjectMapper json = new ObjectMapper();
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT insert_id, event_type, user_id, time, upload_time, source_id,"
                      + " CAST(event_properties AS VARCHAR) FROM read_parquet('"
                      + out
                      + "/dt=*/hour=*/*.parquet')"
                      + " ORDER BY insert_id")) {
        int i = 0;
        while (rs.next()) {
          Event e = expected.get(i++);
          assertThat(rs.getString(1)).isEqualTo(e.insertId());
          assertThat(rs.getString(2)).isEqualTo(e.eventType());
          assertThat(rs.getString(3)).isEqualTo(e.userId());
          assertThat(rs.getLong(4)).isEqualTo(e.time());
          assertThat(rs.getLong(5)).isEqualTo(e.uploadTime());
          assertThat(rs.getString(6)).isEqualTo(e.sourceId());
          assertThat(json.readValue(rs.getString(7), Map.class)).isEqualTo(e.eventProperties());
        }
        assertThat(i).isEqualTo(expected.size());
      }
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT event_type, count(*) FROM read_parquet('"
                      + out
                      + "/dt=*/hour=*/*.parquet', hive_partitioning = true) GROUP BY event_type ORDER BY event_type")) {
        long purchases = expected.stream().filter(e -> e.eventType().equals("purchase")).count();
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("purchase");
        assertThat(rs.getLong(2)).isEqualTo(purchases);
        rs.next();
        assertThat(rs.getLong(2)).isEqualTo(expected.size() - purchases);
      }
    }
  }
}
