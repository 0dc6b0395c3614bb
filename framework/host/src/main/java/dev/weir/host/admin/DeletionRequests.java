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
 * never lost by a crash; a request is removed once its destination is done with it (delivered or
 * given up), so the user id is kept only while needed. Only user, device, source and deletion ids
 * are written, never settings. Thread-safe (appends are serialized); the host reads them back to
 * resume deletions after a restart.
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
  public void record(String destinationId, String sourceId, String userId) {
    record(destinationId, null, sourceId, userId, java.util.Set.of());
  }

  /**
   * Appends one request of deletion {@code deletionId} for {@code destinationId} (with the device
   * ids seen on the user's events) and forces it, and a new file's directory entry, to disk.
   */
  public synchronized void record(
      String destinationId,
      String deletionId,
      String sourceId,
      String userId,
      java.util.Set<String> deviceIds) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("destination", destinationId);
    if (deletionId != null) {
      line.put("deletion_id", deletionId);
    }
    line.put("source", sourceId);
    line.put("user_id", userId);
    if (!deviceIds.isEmpty()) {
      line.put("device_ids", List.copyOf(new java.util.TreeSet<>(deviceIds)));
    }
    line.put("requested_at", clock.instant().toString());
    try {
      Files.createDirectories(dir);
      boolean created = !Files.exists(file(destinationId));
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
      if (created) {
        dev.weir.realtime.StoreFileSystem.DEFAULT.syncDirectory(dir);
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

  /**
   * Removes the requests of deletion {@code deletionId} for {@code destinationId} once the
   * destination is done with them (the file rewritten atomically), so the user id is not kept.
   */
  public synchronized void remove(String destinationId, String deletionId) {
    Path f = file(destinationId);
    if (deletionId == null || !Files.exists(f)) {
      return;
    }
    try {
      StringBuilder keep = new StringBuilder();
      for (String l : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        if (l.isBlank()) {
          continue;
        }
        Object id = null;
        try {
          id = JSON.readValue(l, Map.class).get("deletion_id");
        } catch (IOException torn) {
          // keep what cannot be read
        }
        if (!deletionId.equals(id)) {
          keep.append(l).append('\n');
        }
      }
      Path tmp = Ids.file(dir, destinationId, ".jsonl.tmp");
      dev.weir.realtime.StoreFileSystem fs = dev.weir.realtime.StoreFileSystem.DEFAULT;
      try (FileChannel ch =
          fs.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(keep.toString().getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      fs.move(tmp, f);
      fs.syncDirectory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path file(String destinationId) {
    return Ids.file(dir, destinationId, ".jsonl");
  }
}
