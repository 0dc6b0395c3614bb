package dev.weir.delivery;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.weir.realtime.StoreFileSystem;
import dev.weir.sdk.Ids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One destination's per-partition delivery state ({@link PartitionState}: read position and
 * unresolved ranges) in a small JSON file, {@code {"0": {"read": 120, "pending": [[100, 110]]}}},
 * replaced atomically through the file-system seam ({@link
 * dev.weir.realtime.StoreFileSystem#replace}): write a temp file, fsync it, rename it over the old
 * one, fsync the directory. A crash leaves either the old or the new file. Thread-safe.
 */
final class CursorStore {
  private final StoreFileSystem fs;
  private final Path file;
  private final Path temp;
  private Map<Integer, PartitionState> lastSaved = Map.of();

  CursorStore(Path dir, String destination) {
    this(StoreFileSystem.DEFAULT, dir, destination);
  }

  CursorStore(StoreFileSystem fs, Path dir, String destination) {
    this.fs = fs;
    try {
      fs.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.file = Ids.file(dir, destination, ".json");
    this.temp = Ids.file(dir, destination, ".json.tmp");
  }

  /** The saved states, empty when none were saved yet. */
  synchronized Map<Integer, PartitionState> load() {
    if (!Files.exists(file)) {
      return Map.of();
    }
    try {
      Map<String, Saved> raw =
          DeliveryJson.MAPPER.readValue(file.toFile(), new TypeReference<Map<String, Saved>>() {});
      Map<Integer, PartitionState> out = new HashMap<>();
      raw.forEach(
          (k, v) ->
              out.put(
                  Integer.parseInt(k),
                  new PartitionState(v.read(), v.pending() == null ? List.of() : v.pending())));
      lastSaved = Map.copyOf(out);
      return lastSaved;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read cursor file " + file, e);
    }
  }

  /** Saves the states durably unless they equal the last saved ones. */
  synchronized void save(Map<Integer, PartitionState> cursors) {
    if (cursors.equals(lastSaved)) {
      return;
    }
    Map<String, Saved> raw = new TreeMap<>();
    cursors.forEach((k, v) -> raw.put(Integer.toString(k), new Saved(v.read(), v.pending())));
    try {
      fs.replace(file, temp, DeliveryJson.bytes(raw));
      lastSaved = Map.copyOf(cursors);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write cursor file " + file, e);
    }
  }

  /** The JSON shape of one partition's state. */
  record Saved(long read, List<long[]> pending) {}
}
