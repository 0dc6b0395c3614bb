package dev.weir.connectors.fileexport;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.BatchDestination;
import dev.weir.sdk.ConnectorContext;
import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.ExportBatch;
import dev.weir.sdk.ExportResult;
import dev.weir.sdk.Settings;
import dev.weir.sdk.UserDeletion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pf4j.Extension;

/**
 * The {@code file-export} batch destination: writes each chunk as files in NDJSON.gz, CSV or
 * Parquet to a local directory or an S3-compatible bucket, one file per hour of event time under
 * {@code dt=YYYY-MM-DD/hour=HH/}, named by chunk id, then a manifest {@code _manifests/<chunk
 * id>.json} listing them. Downstream loaders read only files a manifest lists. Re-exporting a chunk
 * rewrites the same names, so it is idempotent. A user deletion rewrites the files that hold the
 * user's rows without them ({@link UserPurge}).
 *
 * <p>Lifecycle per the SDK: {@link #start} once, {@link #export} one at a time, {@link #stop} once.
 */
@Extension
public final class FileExportDestination extends BatchDestination {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Format format;
  private Storage storage;
  private Path staging;

  @Override
  public ConnectorSpec spec() {
    return ConnectorSpec.builder("file-export")
        .version("0.1.0")
        .displayName("File export")
        .description(
            "Writes sealed chunks as NDJSON.gz, CSV or Parquet files, partitioned by hour, with manifests.")
        .settingsSchemaResource(
            FileExportDestination.class, "/weir-file-export-settings.schema.json")
        .build();
  }

  @Override
  public void start(ConnectorContext context) throws IOException {
    Settings s = context.settings();
    format = Format.of(s.requireString("format"));
    if (s.has("directory") == s.has("s3")) {
      throw new IllegalArgumentException("file-export needs exactly one of 'directory' or 's3'");
    }
    storage =
        s.has("directory")
            ? new LocalStorage(Path.of(s.requireString("directory")))
            : new S3Storage(s.section("s3"));
    Path base =
        s.has("staging_dir")
            ? Path.of(s.requireString("staging_dir"))
            : Path.of(System.getProperty("java.io.tmpdir"));
    staging = Files.createDirectories(base.resolve("weir-file-export-" + context.connectionId()));
  }

  @Override
  public boolean deletesUsers() {
    return true;
  }

  /**
   * Rewrites every exported file that holds rows of the user without them, then its manifest (see
   * {@link UserPurge}); serialized with {@link #export}. The rows removed.
   */
  @Override
  public synchronized long deleteUser(UserDeletion request) throws IOException {
    Path work = Files.createDirectories(staging.resolve("_purge-" + request.deletionId()));
    try {
      return new UserPurge(storage, work).purge(request);
    } finally {
      deleteTree(work);
    }
  }

  @Override
  public synchronized ExportResult export(ExportBatch batch) throws IOException {
    Map<String, List<Event>> byHour = new TreeMap<>();
    long rows = 0;
    for (Iterator<Event> it = batch.rows(); it.hasNext(); rows++) {
      Event e = it.next();
      byHour.computeIfAbsent(partitionOf(e), k -> new ArrayList<>()).add(e);
    }
    List<Map<String, Object>> files = new ArrayList<>();
    Path work = Files.createDirectories(staging.resolve(batch.id()));
    try {
      for (Map.Entry<String, List<Event>> h : byHour.entrySet()) {
        String key = h.getKey() + "/" + batch.id() + format.extension;
        Path local = work.resolve("part-" + files.size() + format.extension);
        FileWriters.write(format, h.getValue(), local);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("path", key);
        f.put("rows", h.getValue().size());
        f.put("bytes", Files.size(local));
        f.put(
            "min_time",
            h.getValue().stream().mapToLong(FileExportDestination::timeOf).min().orElse(0));
        f.put(
            "max_time",
            h.getValue().stream().mapToLong(FileExportDestination::timeOf).max().orElse(0));
        storage.put(key, local);
        files.add(f);
      }
      Map<String, Object> manifest = new LinkedHashMap<>();
      manifest.put("chunk_id", batch.id());
      manifest.put("partition", batch.partition());
      manifest.put("format", format.name().toLowerCase(java.util.Locale.ROOT));
      manifest.put("rows", rows);
      manifest.put("min_time", batch.minTime());
      manifest.put("max_time", batch.maxTime());
      manifest.put("exported_at", Instant.now().toString());
      manifest.put("files", files);
      Path m = work.resolve("manifest.json");
      Files.write(m, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
      storage.put("_manifests/" + batch.id() + ".json", m);
    } finally {
      deleteTree(work);
    }
    return ExportResult.committed(rows);
  }

  @Override
  public void stop() {
    if (storage != null) {
      storage.close();
    }
  }

  static long timeOf(Event e) {
    return e.time() != null ? e.time() : e.uploadTime() != null ? e.uploadTime() : 0L;
  }

  /** {@code dt=YYYY-MM-DD/hour=HH} of the event's time (else upload time), in UTC. */
  static String partitionOf(Event e) {
    ZonedDateTime t = Instant.ofEpochMilli(timeOf(e)).atZone(ZoneOffset.UTC);
    return String.format(
        "dt=%04d-%02d-%02d/hour=%02d",
        t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour());
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
