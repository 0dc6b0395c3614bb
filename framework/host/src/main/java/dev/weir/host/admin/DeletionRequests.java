package dev.weir.host.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.Ids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The durable per-destination queue of user deletion requests ({@code DELETE
 * /api/v1/users/{source}/{userId}}): one JSON line per request in {@code
 * <dir>/<destination>.jsonl}, appended and fsynced before the admin call answers, so a request is
 * never lost by a crash. Only user ids and source ids are written, never settings. Thread-safe
 * (appends are serialized); the files are read by operators and by a destination's deletion job.
 */
public final class DeletionRequests {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final Clock clock;

  public DeletionRequests(Path dir, Clock clock) {
    this.dir = dir;
    this.clock = clock;
  }

  /** Appends one request for {@code destinationId} and forces it to disk. */
  public synchronized void record(String destinationId, String sourceId, String userId) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("destination", destinationId);
    line.put("source", sourceId);
    line.put("user_id", userId);
    line.put("requested_at", clock.instant().toString());
    try {
      Files.createDirectories(dir);
      byte[] bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
      try (FileChannel ch =
          FileChannel.open(
              file(destinationId),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot record the deletion request for destination '"
              + destinationId
              + "': "
              + e.getMessage(),
          e);
    }
  }

  /** Every request queued for {@code destinationId}, oldest first (empty when none). */
  @SuppressWarnings("unchecked")
  public synchronized List<Map<String, Object>> pending(String destinationId) {
    Path f = file(destinationId);
    if (!Files.exists(f)) {
      return List.of();
    }
    List<Map<String, Object>> out = new ArrayList<>();
    try {
      for (String l : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        if (!l.isBlank()) {
          try {
            out.add(JSON.readValue(l, Map.class));
          } catch (IOException torn) {
            // Only a crash mid-append leaves a partial line, and that request was never
            // acknowledged.
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private Path file(String destinationId) {
    return Ids.file(dir, destinationId, ".jsonl");
  }
}
