package dev.weir.connectors.file;

import dev.weir.sdk.ConnectorContext;
import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.Health;
import dev.weir.sdk.Outcome;
import dev.weir.sdk.Settings;
import dev.weir.sdk.StreamingDestination;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.pf4j.Extension;

/**
 * The {@code file} destination: writes events as NDJSON (one canonical event object per line) into
 * a directory. The open file is named {@code *.ndjson.tmp}; when it is rotated (by size or age) or
 * the destination stops, it is fsynced and renamed to {@code *.ndjson}, so readers take only {@code
 * *.ndjson} files, which are complete.
 *
 * <p>Thread-safe: {@link #deliver} calls and the age-based rotation serialise on one lock. One
 * instance per configured destination.
 */
@Extension
public final class FileDestination extends StreamingDestination {
  static final String ID = "file";

  private final Clock clock;
  private RollingNdjsonWriter writer;
  private ScheduledExecutorService ticker;
  private volatile String lastError = "";

  public FileDestination() {
    this(Clock.systemUTC());
  }

  FileDestination(Clock clock) {
    this.clock = clock;
  }

  @Override
  public ConnectorSpec spec() {
    return ConnectorSpec.builder(ID)
        .version("0.1.0")
        .displayName("Files (NDJSON)")
        .description("Appends events as NDJSON to rotating files in a directory.")
        .settingsSchemaResource(FileDestination.class, "/weir-file-settings.schema.json")
        .build();
  }

  @Override
  public void start(ConnectorContext context) throws IOException {
    Settings s = context.settings();
    Path dir = Path.of(s.requireString("dir")).toAbsolutePath().normalize();
    writer =
        new RollingNdjsonWriter(
            dir,
            s.string("prefix", "events"),
            s.longValue("max_file_bytes", 64L << 20),
            Duration.ofMillis(s.longValue("max_file_age_ms", 60_000)),
            s.bool("fsync_each_batch", true),
            clock);
    int recovered = writer.recoverLeftovers();
    if (recovered > 0) {
      context
          .logger()
          .info("Finalised {} file(s) left open by an earlier run in {}", recovered, dir);
    }
    long tick = Math.max(50, Math.min(1000, s.longValue("max_file_age_ms", 60_000) / 4));
    ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "weir-file-rotate-" + context.connectionId());
              t.setDaemon(true);
              return t;
            });
    ticker.scheduleWithFixedDelay(
        () -> {
          try {
            writer.rotateIfOld();
          } catch (IOException | RuntimeException e) {
            lastError = e.getMessage();
            context.logger().warn("Could not rotate file: {}", e.toString());
          }
        },
        tick,
        tick,
        TimeUnit.MILLISECONDS);
    context.logger().info("Writing NDJSON files to {}", dir);
  }

  @Override
  public List<Outcome> deliver(List<Event> batch) throws IOException {
    List<byte[]> lines = new ArrayList<>(batch.size());
    List<Outcome> outcomes = new ArrayList<>(batch.size());
    for (Event e : batch) {
      try {
        lines.add(e.toJson().getBytes(StandardCharsets.UTF_8)); // straight from the fields
        outcomes.add(Outcome.delivered());
      } catch (RuntimeException ex) {
        lines.add(null);
        outcomes.add(Outcome.rejected("cannot serialise event: " + ex.getMessage()));
      }
    }
    try {
      writer.append(lines);
      lastError = "";
    } catch (IOException | UncheckedIOException e) {
      lastError = e.getMessage();
      return Collections.nCopies(
          batch.size(), Outcome.retry("file write failed: " + e.getMessage()));
    }
    return outcomes;
  }

  @Override
  public void stop() throws IOException {
    if (ticker != null) {
      ticker.shutdownNow();
    }
    if (writer != null) {
      writer.close();
    }
  }

  @Override
  public Health health() {
    String err = lastError;
    return err.isEmpty() ? Health.up() : Health.degraded(err);
  }

  static boolean isComplete(Path file) {
    return Files.isRegularFile(file)
        && file.getFileName().toString().endsWith(RollingNdjsonWriter.COMPLETE_SUFFIX);
  }
}
