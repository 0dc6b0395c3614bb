package dev.weir.testkit;

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
 * A state store like the host's: one JSON file, replaced by write-temp + fsync + atomic rename on
 * every change. Thread-safe (one lock); a new instance on the same directory sees what an earlier
 * one wrote.
 */
final class FileStateStore implements StateStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;
  private final Map<String, String> values;

  FileStateStore(Path dir) {
    try {
      Files.createDirectories(dir);
      this.file = dir.resolve("state.json");
      this.values =
          Files.exists(file)
              ? JSON.readValue(file.toFile(), new TypeReference<TreeMap<String, String>>() {})
              : new TreeMap<>();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  @Override
  public synchronized void put(String key, String value) {
    values.put(key, value);
    write();
  }

  @Override
  public synchronized void delete(String key) {
    if (values.remove(key) != null) {
      write();
    }
  }

  synchronized Map<String, String> snapshot() {
    return Map.copyOf(values);
  }

  private void write() {
    Path tmp = file.resolveSibling("state.json.tmp");
    try {
      Files.write(tmp, JSON.writeValueAsBytes(values));
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write state " + file, e);
    }
  }
}
