package dev.weir.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.realtime.ChunkInfo;
import dev.weir.realtime.Filter;
import dev.weir.realtime.RealtimeStore;
import dev.weir.realtime.StoreStats;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

/** {@code /api/v1/store/...} and user deletion. Stateless; handlers run on Jetty threads. */
final class StoreApi {
  private final AdminBackend backend;

  StoreApi(AdminBackend backend) {
    this.backend = backend;
  }

  void register(Routes r) {
    r.get("/api/v1/store", this::stats);
    r.get("/api/v1/store/partitions", this::partitions);
    r.get("/api/v1/store/chunks", this::chunks);
    r.post("/api/v1/store/query", this::query);
    r.delete("/api/v1/users/{source}/{userId}", this::deleteUser);
    r.get("/api/v1/deletions/{id}", this::deletion);
  }

  private RealtimeStore store() {
    return backend
        .store()
        .orElseThrow(() -> new Unavailable("this instance runs no real-time store"));
  }

  private void stats(Context ctx) {
    RealtimeStore store = store();
    StoreStats s = store.stats();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("partitions", s.partitions());
    m.put("blocks_in_memory", s.blocksInMemory());
    m.put("evicted_blocks", s.evictedBlocks());
    m.put("chunks", s.chunks());
    m.put("current_batch", s.currentBatch());
    m.put("stored", s.stored());
    m.put("duplicates", s.duplicates());
    m.put("dedup_keys", s.dedupKeys());
    m.put("dedup_key_bytes", s.dedupKeyBytes());
    m.put("dedup_window_ms", s.dedupWindowMs());
    m.put("indexed_keys", s.indexedKeys());
    m.put("key_index_bytes", s.keyIndexBytes());
    m.put("cached_bytes", s.cachedBytes());
    m.put("memory_capacity", s.memoryCapacity());
    m.put("data_clock", s.dataClock() == Long.MIN_VALUE ? null : s.dataClock());
    m.put("retention", retention(store));
    m.put("problems", store.problems());
    HttpJson.ok(ctx, m);
  }

  /** What the latest cleanup deleted and, per kept chunk, why it is kept. */
  static Map<String, Object> retention(RealtimeStore store) {
    Map<String, Object> r = new LinkedHashMap<>();
    dev.weir.realtime.CleanupReport last = store.lastCleanup();
    r.put("last_cleanup_deleted", last == null ? null : last.deleted().size());
    r.put("kept", last == null ? Map.of() : last.kept());
    return r;
  }

  private void partitions(Context ctx) {
    RealtimeStore store = store();
    List<ChunkInfo> chunks = store.chunks();
    List<Map<String, Object>> out = new ArrayList<>();
    for (int p = 0; p < store.partitionCount(); p++) {
      int partition = p;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("partition", p);
      m.put("next_sequence", store.nextSequence(p));
      m.put("chunks", chunks.stream().filter(c -> c.partition() == partition).count());
      m.put(
          "chunk_bytes",
          chunks.stream()
              .filter(c -> c.partition() == partition)
              .mapToLong(ChunkInfo::sizeBytes)
              .sum());
      out.add(m);
    }
    HttpJson.ok(ctx, Map.of("current_batch", store.currentBatch(), "partitions", out));
  }

  private void chunks(Context ctx) {
    RealtimeStore store = store();
    List<Map<String, Object>> out = new ArrayList<>();
    for (ChunkInfo c : store.chunks()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", c.id());
      m.put("partition", c.partition());
      m.put("batch", c.batch());
      m.put("rows", c.rows());
      m.put("min_time", c.minTime());
      m.put("max_time", c.maxTime());
      m.put("min_sequence", c.minSequence());
      m.put("max_sequence", c.maxSequence());
      m.put("size_bytes", c.sizeBytes());
      out.add(m);
    }
    HttpJson.ok(ctx, Map.of("current_batch", store.currentBatch(), "chunks", out));
  }

  private void query(Context ctx) {
    RealtimeStore store = store();
    try {
      HttpJson.ok(ctx, StoreQueries.run(store, HttpJson.body(ctx)));
    } catch (StoreQueries.Invalid e) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("code", 400);
      m.put("error", e.getMessage());
      m.put("errors", e.errors());
      HttpJson.send(ctx, 400, m);
    }
  }

  /**
   * A user deletion, stage by stage, each recorded in the deletion log (when the host keeps one)
   * before the next starts: the store, what delivery holds, the destinations, batch outputs.
   */
  private void deleteUser(Context ctx) throws IOException {
    RealtimeStore store = store();
    String source = ctx.pathParam("source");
    String user = ctx.pathParam("userId");
    UserDeletionLog log = backend.deletionLog().orElse(null);
    String id = log == null ? null : log.start(source, user);
    // the source and its quarantine copy; the user's devices reach their anonymous events
    List<String> sources = List.of(source, source + ":quarantine");
    java.util.Set<String> devices;
    long deleted;
    try {
      devices = store.deviceIdsOf(sources, user);
      deleted = store.deleteUser(sources, user, devices);
    } catch (RuntimeException | IOException e) {
      failed(log, id, "store", e);
      throw e;
    }
    if (log != null) {
      log.stage(
          id,
          "store",
          UserDeletionLog.DONE,
          Map.of("deleted_events", deleted, "device_ids_matched", devices.size()));
    }
    // then what delivery holds: events read ahead or waiting for a retry, and dead letters
    Map<String, Integer> deadLetters;
    try {
      deadLetters =
          backend
              .delivery()
              .map(
                  engine ->
                      engine.forget(
                          e ->
                              sources.contains(e.sourceId())
                                  && (e.userId() == null
                                      ? e.deviceId() != null && devices.contains(e.deviceId())
                                      : user.equals(e.userId()))))
              .orElse(Map.of());
    } catch (RuntimeException e) {
      failed(log, id, "delivery", e);
      throw e;
    }
    if (log != null) {
      log.stage(id, "delivery", UserDeletionLog.DONE, Map.of("dead_letters_removed", deadLetters));
    }
    List<String> queued = backend.queueUserDeletion(id, source, user, devices);
    List<String> batch = new ArrayList<>();
    if (log != null) {
      Map<String, String> kinds = new LinkedHashMap<>();
      backend.destinations().forEach(d -> kinds.put(d.id(), d.kind()));
      List<String> fed = backend.destinationsFedBy(source);
      for (String d : fed) {
        if ("batch_destination".equals(kinds.get(d))) {
          batch.add(d);
        } else if (!queued.contains(d)) {
          log.destination(id, d, UserDeletionLog.NOT_SUPPORTED, Map.of());
        }
      }
      if (fed.stream().noneMatch(d -> !batch.contains(d))) {
        log.stage(id, "destinations", UserDeletionLog.DONE, Map.of("destinations", Map.of()));
      }
      log.stage(id, "batch_outputs", UserDeletionLog.PENDING, Map.of("destinations", batch));
      Map<String, Object> outputs = new LinkedHashMap<>();
      Map<String, Map<String, Object>> done =
          batch.isEmpty() ? Map.of() : backend.deleteFromBatchOutputs(id, source, user, devices);
      for (String d : batch) {
        outputs.put(d, done.getOrDefault(d, Map.of("status", UserDeletionLog.NOT_SUPPORTED)));
      }
      log.stage(id, "batch_outputs", batchStatus(outputs), Map.of("destinations", outputs));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("deletion_id", id);
    m.put("source", source);
    m.put("user_id", user);
    m.put("deleted_events", deleted);
    m.put("device_ids_matched", devices.size());
    m.put("dead_letters_removed", deadLetters);
    m.put("deletion_requests_queued", queued);
    HttpJson.ok(ctx, m);
  }

  /** Failed when one failed, else not_supported when none could delete, else done. */
  private static String batchStatus(Map<String, Object> outputs) {
    List<Object> statuses =
        outputs.values().stream()
            .map(v -> ((Map<?, ?>) v).get("status"))
            .map(Object.class::cast)
            .toList();
    if (statuses.contains(UserDeletionLog.FAILED)) {
      return UserDeletionLog.FAILED;
    }
    if (!statuses.isEmpty() && statuses.stream().allMatch(UserDeletionLog.NOT_SUPPORTED::equals)) {
      return UserDeletionLog.NOT_SUPPORTED;
    }
    return UserDeletionLog.DONE;
  }

  private void failed(UserDeletionLog log, String id, String stage, Exception e) {
    if (log != null) {
      log.stage(
          id,
          stage,
          UserDeletionLog.FAILED,
          Map.of("error", backend.redactor().redact(String.valueOf(e.getMessage()))));
    }
  }

  private void deletion(Context ctx) {
    UserDeletionLog log =
        backend
            .deletionLog()
            .orElseThrow(() -> new Unavailable("this instance keeps no deletion log"));
    String id = ctx.pathParam("id");
    HttpJson.ok(ctx, log.get(id).orElseThrow(() -> notFound("no deletion '" + id + "'")));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static long millis(JsonNode n, String field, long dflt) {
    Instant i = HttpJson.instant(n, field);
    return i == null ? dflt : i.toEpochMilli();
  }

  private static List<Filter> filters(JsonNode node) {
    List<Filter> out = new ArrayList<>();
    int i = 0;
    for (JsonNode f : node) {
      List<Object> values = new ArrayList<>();
      for (JsonNode v : f.path("values")) {
        values.add(HttpJson.MAPPER.convertValue(v, Object.class));
      }
      if (f.has("value")) {
        values.add(HttpJson.MAPPER.convertValue(f.get("value"), Object.class));
      }
      try {
        out.add(
            new Filter(
                f.path("property").asText(),
                enumValue(Filter.Op.class, f.path("op").asText("eq"), "op"),
                values));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalArgumentException("filters[" + i + "]: " + e.getMessage());
      }
      i++;
    }
    return out;
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, String text, String name) {
    try {
      return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          name
              + " '"
              + text
              + "' is not one of "
              + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
    }
  }

  /** A part this instance does not run: answered with 503. */
  static final class Unavailable extends RuntimeException {
    Unavailable(String message) {
      super(message);
    }
  }

  static NoSuchElementException notFound(String what) {
    return new NoSuchElementException(what);
  }
}
