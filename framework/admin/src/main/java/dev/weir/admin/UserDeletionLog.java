package dev.weir.admin;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.weir.realtime.StoreFileSystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * User deletions as tracked operations, and their audit trail: one JSON file per deletion, {@code
 * <dir>/<id>.json}, rewritten atomically (temp file, fsync, rename, directory fsync) on every
 * change and kept after the deletion ends, so a deletion's status survives restarts and the file is
 * its audit record.
 *
 * <p>A record holds the deletion id, the source, an HMAC-SHA256 of the user id keyed with this
 * store's own secret ({@code user_hmac_sha256}; the 32 random bytes of {@value #KEY_FILE}, made
 * once, owner-only: an operator with the store can check a given user id against it through {@link
 * #userDigest}, but without the key a list of guessed ids cannot be checked, as a plain SHA-256
 * could; the record holds no user id, events, device ids or setting), when it was requested, and a
 * status per stage: {@code store}, {@code delivery} (queued events and dead letters), {@code
 * destinations} (one status per destination the source feeds) and {@code batch_outputs}. Errors are
 * stored as given: callers pass them through the admin server's redactor first.
 *
 * <p>Thread-safe (one monitor); the host creates one and hands it to the admin server through
 * {@link AdminBackend#deletionLog()}.
 */
public final class UserDeletionLog {
  /** A stage or destination still being worked on. */
  public static final String PENDING = "pending";

  /** Done. */
  public static final String DONE = "done";

  /** Given up on, with an error. */
  public static final String FAILED = "failed";

  /** What Weir cannot delete there (documented per target). */
  public static final String NOT_SUPPORTED = "not_supported";

  private static final Pattern ID = Pattern.compile("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");

  /** The file in the deletions directory that holds the store's audit key. */
  public static final String KEY_FILE = "audit.key";

  private static final int KEY_BYTES = 32;

  private final Path dir;
  private final Clock clock;
  private byte[] key;

  public UserDeletionLog(Path dir, Clock clock) {
    this.dir = dir;
    this.clock = clock;
  }

  /** Records a new deletion (durably, before anything is deleted) and returns its id. */
  public synchronized String start(String source, String userId) {
    String id = UUID.randomUUID().toString();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", id);
    r.put("source", source);
    r.put("user_hmac_sha256", userDigest(userId));
    r.put("requested_at", clock.instant().toString());
    r.put("finished_at", null);
    r.put("status", PENDING);
    Map<String, Object> stages = new LinkedHashMap<>();
    for (String s : new String[] {"store", "delivery", "destinations", "batch_outputs"}) {
      stages.put(s, new LinkedHashMap<>(Map.of("status", PENDING)));
    }
    r.put("stages", stages);
    write(id, r);
    return id;
  }

  /**
   * Sets stage {@code stage} ({@code store}, {@code delivery}, {@code batch_outputs}) to {@code
   * status} with {@code details} (counts, an error).
   */
  public synchronized void stage(String id, String stage, String status, Map<String, ?> details) {
    Map<String, Object> r = read(id).orElseThrow(() -> unknown(id));
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("status", status);
    s.putAll(details);
    stages(r).put(stage, s);
    settle(r);
    write(id, r);
  }

  /**
   * Sets destination {@code destination}'s status in the {@code destinations} stage, with {@code
   * details} (attempts, an error); the stage is done once no destination is pending.
   */
  public synchronized void destination(
      String id, String destination, String status, Map<String, ?> details) {
    Map<String, Object> r = read(id).orElseThrow(() -> unknown(id));
    Map<String, Object> stage = stage(r, "destinations");
    @SuppressWarnings("unchecked")
    Map<String, Object> each =
        (Map<String, Object>)
            stage.computeIfAbsent("destinations", k -> new LinkedHashMap<String, Object>());
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("status", status);
    d.putAll(details);
    d.put("at", clock.instant().toString());
    each.put(destination, d);
    boolean pending = each.values().stream().anyMatch(v -> PENDING.equals(status(v)));
    boolean failed = each.values().stream().anyMatch(v -> FAILED.equals(status(v)));
    stage.put("status", pending ? PENDING : failed ? FAILED : DONE);
    settle(r);
    write(id, r);
  }

  /**
   * The audit digest of {@code userId} in this store (the {@code user_hmac_sha256} of its
   * deletions): HMAC-SHA256 with the store's key, in hex. Creates the key on first use.
   */
  public synchronized String userDigest(String userId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key(), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(userId.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The store's audit key: read, or made once (random, owner-only, fsynced, directory fsynced). */
  private byte[] key() {
    if (key != null) {
      return key;
    }
    Path f = dir.resolve(KEY_FILE);
    try {
      if (!Files.exists(f)) {
        byte[] fresh = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(fresh);
        writeDurably(f, dir.resolve(KEY_FILE + ".tmp"), fresh, true);
      }
      byte[] k = Files.readAllBytes(f);
      if (k.length != KEY_BYTES) {
        throw new IllegalStateException(
            "audit key " + f + " holds " + k.length + " bytes, not " + KEY_BYTES);
      }
      key = k;
      return k;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the audit key " + f, e);
    }
  }

  /** The record of deletion {@code id}, JSON-ready; empty when there is none. */
  public synchronized Optional<Map<String, Object>> get(String id) {
    return read(id);
  }

  /**
   * The destinations of deletion {@code id} still pending (to resume after a restart); empty when
   * none or unknown.
   */
  public synchronized java.util.List<String> pendingDestinations(String id) {
    return read(id)
        .map(r -> stage(r, "destinations").get("destinations"))
        .filter(Map.class::isInstance)
        .map(m -> (Map<?, ?>) m)
        .map(
            m ->
                m.entrySet().stream()
                    .filter(e -> PENDING.equals(status(e.getValue())))
                    .map(e -> e.getKey().toString())
                    .toList())
        .orElse(java.util.List.of());
  }

  /** The ids of every recorded deletion whose status is still pending, oldest file first. */
  public synchronized java.util.List<String> unfinished() {
    if (!Files.isDirectory(dir)) {
      return java.util.List.of();
    }
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".json"))
          .map(n -> n.substring(0, n.length() - ".json".length()))
          .filter(i -> read(i).map(r -> PENDING.equals(r.get("status"))).orElse(false))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list deletions in " + dir, e);
    }
  }

  /**
   * The overall status: pending while any stage is, else failed when any stage failed, else done.
   */
  private void settle(Map<String, Object> r) {
    Map<String, Object> stages = stages(r);
    boolean pending = stages.values().stream().anyMatch(v -> PENDING.equals(status(v)));
    boolean failed = stages.values().stream().anyMatch(v -> FAILED.equals(status(v)));
    String status = pending ? PENDING : failed ? FAILED : DONE;
    r.put("status", status);
    r.put("finished_at", pending ? null : clock.instant().toString());
  }

  private static Object status(Object stage) {
    return stage instanceof Map<?, ?> m ? m.get("status") : null;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> stages(Map<String, Object> r) {
    return (Map<String, Object>) r.get("stages");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> stage(Map<String, Object> r, String name) {
    return (Map<String, Object>) stages(r).computeIfAbsent(name, k -> new LinkedHashMap<>());
  }

  private Optional<Map<String, Object>> read(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      return Optional.empty();
    }
    Path f = dir.resolve(id + ".json");
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          HttpJson.MAPPER.readValue(f.toFile(), new TypeReference<Map<String, Object>>() {}));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read deletion record " + f, e);
    }
  }

  private void write(String id, Map<String, Object> record) {
    Path f = dir.resolve(id + ".json");
    try {
      writeDurably(
          f,
          dir.resolve(id + ".json.tmp"),
          HttpJson.MAPPER.writeValueAsString(record).getBytes(StandardCharsets.UTF_8),
          false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write deletion record " + f, e);
    }
  }

  /** Writes {@code bytes} to {@code f} through {@code tmp}: fsync, rename, directory fsync. */
  private void writeDurably(Path f, Path tmp, byte[] bytes, boolean ownerOnly) throws IOException {
    StoreFileSystem fs = StoreFileSystem.DEFAULT;
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      fs.syncDirectory(dir.toAbsolutePath().getParent());
    }
    try (FileChannel ch =
        fs.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      if (ownerOnly) {
        ownerOnly(tmp);
      }
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    fs.move(tmp, f);
    fs.syncDirectory(dir);
  }

  private static void ownerOnly(Path f) throws IOException {
    if (f.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    }
  }

  private static java.util.NoSuchElementException unknown(String id) {
    return new java.util.NoSuchElementException("no deletion '" + id + "'");
  }
}
