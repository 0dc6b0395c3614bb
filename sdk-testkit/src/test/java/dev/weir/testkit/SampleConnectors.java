package dev.weir.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.BatchDestination;
import dev.weir.sdk.ConnectorContext;
import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.ExportBatch;
import dev.weir.sdk.ExportResult;
import dev.weir.sdk.SourceConnector;
import dev.weir.sdk.SourceContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Small connectors for the suites' own tests: a source tailing an NDJSON file of records and a
 * batch destination writing one file per batch, each correct, and broken variants that the suites
 * must catch.
 */
final class SampleConnectors {
  private SampleConnectors() {}

  static final ObjectMapper JSON = new ObjectMapper();

  static final String SOURCE_SCHEMA =
      """
      {"type":"object","additionalProperties":false,"required":["file","api_token"],
       "properties":{
         "file":{"type":"string","description":"NDJSON file of records to read"},
         "api_token":{"type":"string","secret":true,"description":"A token (unused; a secret to hide)"}}}
      """;

  static final String BATCH_SCHEMA =
      """
      {"type":"object","additionalProperties":false,"required":["dir","password"],
       "properties":{
         "dir":{"type":"string","description":"Directory holding one file per exported batch"},
         "password":{"type":"string","secret":true,"description":"A password (unused; a secret to hide)"}}}
      """;

  /** Appends {@code n} records {@code {"id": k}} to the file. */
  static void addRecords(Path file, int n) throws IOException {
    long have = Files.exists(file) ? Files.readAllLines(file).size() : 0;
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append("{\"id\":").append(have + i).append("}\n");
    }
    Files.writeString(
        file, b, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /**
   * Tails the file every 50 ms from the line its cursor (state {@code line}) names; the cursor
   * moves only after the store confirmed the events.
   */
  static class FileSource extends SourceConnector {
    private ScheduledExecutorService poller;
    private SourceContext ctx;

    @Override
    public ConnectorSpec spec() {
      return ConnectorSpec.builder("sample-file-source").settingsSchema(SOURCE_SCHEMA).build();
    }

    @Override
    public void start(SourceContext context) {
      this.ctx = context;
      poller = Executors.newSingleThreadScheduledExecutor();
      poller.scheduleWithFixedDelay(this::poll, 0, 50, TimeUnit.MILLISECONDS);
    }

    String insertId(long id) {
      return "rec-" + id;
    }

    long cursor() {
      return ctx.state().get("line").map(Long::parseLong).orElse(0L);
    }

    void advance(long line) {
      ctx.state().put("line", Long.toString(line));
    }

    boolean advanceBeforeStored() {
      return false;
    }

    private void poll() {
      try {
        Path file = Path.of(ctx.settings().string("file", ""));
        if (!Files.exists(file)) {
          return;
        }
        List<String> lines = Files.readAllLines(file);
        long from = cursor();
        if (from >= lines.size()) {
          return;
        }
        List<Event> events = new ArrayList<>();
        for (long i = from; i < lines.size(); i++) {
          long id = JSON.readTree(lines.get((int) i)).path("id").asLong();
          events.add(Event.builder().eventType("Record").insertId(insertId(id)).build());
        }
        if (advanceBeforeStored()) {
          advance(lines.size());
        }
        ctx.submit(events).toCompletableFuture().get(10, TimeUnit.SECONDS);
        advance(lines.size());
      } catch (Exception e) {
        ctx.logger().warn("poll failed, retried next time: {}", e.toString());
      }
    }

    @Override
    public void stop() throws InterruptedException {
      if (poller != null) {
        poller.shutdownNow();
        poller.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  /** Broken: new insert ids on every read, and a cursor that moves before the store confirmed. */
  static final class BrokenFileSource extends FileSource {
    @Override
    String insertId(long id) {
      return "rec-" + id + "-" + UUID.randomUUID();
    }

    @Override
    boolean advanceBeforeStored() {
      return true;
    }

    @Override
    long cursor() {
      return 0; // forgets where it was
    }
  }

  /**
   * Writes each batch to {@code <dir>/<batch id>.ndjson} (temp file, atomic rename): idempotent.
   */
  static class FileBatchDestination extends BatchDestination {
    Path dir;

    @Override
    public ConnectorSpec spec() {
      return ConnectorSpec.builder("sample-file-batch").settingsSchema(BATCH_SCHEMA).build();
    }

    @Override
    public void start(ConnectorContext context) throws IOException {
      dir = Path.of(context.settings().string("dir", ""));
      Files.createDirectories(dir);
    }

    @Override
    public ExportResult export(ExportBatch batch) throws Exception {
      StringBuilder b = new StringBuilder();
      long n = 0;
      for (var it = batch.rows(); it.hasNext(); n++) {
        b.append(JSON.writeValueAsString(it.next().toMap())).append('\n');
      }
      write(batch.id(), b.toString());
      return ExportResult.committed(n);
    }

    void write(String id, String rows) throws IOException {
      Path tmp = dir.resolve(id + ".tmp");
      Files.writeString(tmp, rows);
      Files.move(tmp, dir.resolve(id + ".ndjson"), StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /** Broken: appends every export to one file, so a re-exported batch is loaded twice. */
  static final class AppendingBatchDestination extends FileBatchDestination {
    @Override
    void write(String id, String rows) throws IOException {
      Files.writeString(
          dir.resolve("all.ndjson"), rows, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }

  /** Every row's insert id in every file under {@code dir}, one entry per row. */
  static List<String> loaded(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".ndjson")).toList()) {
        for (String line : Files.readAllLines(f)) {
          @SuppressWarnings("unchecked")
          Map<String, Object> m = JSON.readValue(line, Map.class);
          out.add(String.valueOf(m.get("insert_id")));
        }
      }
    }
    return out;
  }
}
