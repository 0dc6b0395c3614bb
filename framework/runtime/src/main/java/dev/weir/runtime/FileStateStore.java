package dev.weir.runtime;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A connection's durable key-value state: one JSON file, rewritten on every change by writing a
 * temp file, fsyncing it, atomically renaming it over the old one and fsyncing the directory.
 * Thread-safe (synchronized); a new instance on the same directory sees what an earlier one wrote,
 * which is how the host keeps state across restarts and the test kit tests them.
 */
public final class FileStateStore implements StateStore {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Map<String, String> values;

  /** Opens (creating if needed) the state kept in {@code dir/state.json}. */
  public FileStateStore(Path dir) {
    try {
      Files.createDirectories(dir);
      this.file = dir.resolve("state.json");
      this.values =
          Files.exists(file)
              ? new TreeMap<>(
                  JSON.readValue(file.toFile(), new TypeReference<Map<String, String>>() {}))
              : new TreeMap<>();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open state in " + dir, e);
    }
  }

  @Override
  public synchronized Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  @Override
  public synchronized void put(String key, String value) {
    values.put(key, value);
    persist();
  }

  @Override
  public synchronized void delete(String key) {
    if (values.remove(key) != null) {
      persist();
    }
  }

  /** A copy of every key and value, sorted by key. */
  public synchronized Map<String, String> snapshot() {
    return Map.copyOf(values);
  }

  private void persist() {
    Path tmp = file.resolveSibling("state.json.tmp");
    try {
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(java.nio.ByteBuffer.wrap(JSON.writeValueAsBytes(values)));
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
        dir.force(true);
      } catch (IOException ignored) {
        // Directories cannot be opened on some platforms; the rename is still atomic.
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write state " + file, e);
    }
  }
}
