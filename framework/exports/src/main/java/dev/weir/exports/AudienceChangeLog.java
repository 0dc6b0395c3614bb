package dev.weir.exports;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.delivery.DeliveryLog;
import dev.weir.delivery.LogEntry;
import dev.weir.realtime.StoreFileSystem;
import dev.weir.sdk.Event;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The durable log of audience membership changes ({@code Audience Entered} / {@code Audience
 * Exited} events) that a {@code DeliveryEngine} delivers to audience destinations, with its
 * retries, rate limits and dead letters. One partition; an append-only NDJSON file, fsynced on
 * every append, read back whole on open (a torn last line from a crash is dropped). Thread-safe.
 */
public final class AudienceChangeLog implements DeliveryLog, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final FileChannel channel;
  private final List<Event> entries = new ArrayList<>();

  private AudienceChangeLog(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    if (Files.exists(file)) {
      byte[] all = Files.readAllBytes(file);
      int start = 0;
      for (int i = 0; i < all.length; i++) {
        if (all[i] == '\n') {
          @SuppressWarnings("unchecked")
          Map<String, Object> m = JSON.readValue(all, start, i - start, Map.class);
          entries.add(Event.fromMap(m));
          start = i + 1;
        }
      }
      if (start < all.length) { // torn tail: cut it off so appends start on a fresh line
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
          ch.truncate(start);
          ch.force(true);
        }
      }
    }
    boolean created = !Files.exists(file);
    channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    if (created) { // the new file's entry, or appends fsynced into it can vanish with it
      StoreFileSystem.DEFAULT.syncDirectory(file.toAbsolutePath().getParent());
    }
  }

  public static AudienceChangeLog open(Path file) throws IOException {
    return new AudienceChangeLog(file);
  }

  /** Appends the changes and fsyncs; they are readable (and delivered) once this returns. */
  public synchronized void append(List<Event> changes) throws IOException {
    if (changes.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder();
    for (Event e : changes) {
      sb.append(JSON.writeValueAsString(e.toMap())).append('\n');
    }
    ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
    channel.force(false);
    entries.addAll(changes);
  }

  @Override
  public int partitionCount() {
    return 1;
  }

  @Override
  public synchronized long nextSequence(int partition) {
    return entries.size();
  }

  @Override
  public synchronized List<LogEntry> read(int partition, long fromSequence, int max) {
    List<LogEntry> out = new ArrayList<>();
    for (long s = Math.max(0, fromSequence); s < entries.size() && out.size() < max; s++) {
      out.add(new LogEntry(0, s, entries.get((int) s)));
    }
    return out;
  }

  @Override
  public synchronized void close() throws IOException {
    channel.close();
  }
}
