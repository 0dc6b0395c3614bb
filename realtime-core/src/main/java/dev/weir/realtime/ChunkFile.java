package dev.weir.realtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import dev.weir.sdk.Event;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import net.jpountz.lz4.LZ4Factory;

/**
 * The columnar chunk file: {@code MAGIC, column blobs..., footer JSON, int footerLength, int
 * footerCrc32c, MAGIC}. Each blob is one column (see {@link ColumnCodec}) compressed as a whole;
 * the footer holds row count, min/max event time, min/max sequence, batch number, source block
 * files and per-column offset, lengths and CRC32C. Columns: {@code _seq}, every top-level event
 * field, and one column per {@code event_properties.<key>} and {@code user_properties.<key>}.
 * Stateless; {@link Reader} is not thread-safe.
 */
final class ChunkFile {
  static final byte[] MAGIC = "WEIRCHK1".getBytes(StandardCharsets.US_ASCII);
  static final String SEQ = "_seq";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LZ4Factory LZ4 = LZ4Factory.fastestInstance();

  private ChunkFile() {}

  record Column(String name, String kind, long offset, int length, int rawLength, int crc) {}

  record Meta(
      String id,
      int partition,
      long batch,
      int rows,
      long minTime,
      long maxTime,
      long minSeq,
      long maxSeq,
      List<String> sources,
      String compression,
      List<Column> columns,
      long sizeBytes) {
    ChunkInfo info() {
      return new ChunkInfo(id, partition, batch, rows, minTime, maxTime, minSeq, maxSeq, sizeBytes);
    }

    Column column(String name) {
      for (Column c : columns) {
        if (c.name.equals(name)) {
          return c;
        }
      }
      return null;
    }

    Meta withBatchAndSize(long size) {
      return new Meta(
          id,
          partition,
          batch,
          rows,
          minTime,
          maxTime,
          minSeq,
          maxSeq,
          sources,
          compression,
          columns,
          size);
    }
  }

  static long eventTime(Event e) {
    return e.time() != null ? e.time() : e.uploadTime();
  }

  /** The columns of rows (sorted by sequence), by name. */
  static Map<String, Object[]> columns(List<Long> seqs, List<Event> events) {
    int n = events.size();
    Map<String, Object[]> cols = new LinkedHashMap<>();
    Object[] seq = new Object[n];
    cols.put(SEQ, seq);
    for (int i = 0; i < n; i++) {
      seq[i] = seqs.get(i);
      for (Map.Entry<String, Object> f : events.get(i).toMap().entrySet()) {
        String k = f.getKey();
        if (k.equals("event_properties") || k.equals("user_properties")) {
          @SuppressWarnings("unchecked")
          Map<String, Object> props = (Map<String, Object>) f.getValue();
          for (Map.Entry<String, Object> p : props.entrySet()) {
            cols.computeIfAbsent(k + "." + p.getKey(), x -> new Object[n])[i] = p.getValue();
          }
        } else {
          cols.computeIfAbsent(k, x -> new Object[n])[i] = f.getValue();
        }
      }
    }
    return cols;
  }

  static Meta write(
      StoreFileSystem fs,
      Path path,
      String id,
      int partition,
      long batch,
      List<Long> seqs,
      List<Event> events,
      List<String> sources,
      StoreOptions.Compression compression)
      throws IOException {
    long minTime = Long.MAX_VALUE;
    long maxTime = Long.MIN_VALUE;
    for (Event e : events) {
      long t = eventTime(e);
      minTime = Math.min(minTime, t);
      maxTime = Math.max(maxTime, t);
    }
    Map<String, Object[]> cols = columns(seqs, events);
    List<Column> written = new ArrayList<>();
    CRC32C crc = new CRC32C();
    try (FileChannel ch =
        fs.open(
            path,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      long pos = writeFully(ch, MAGIC, 0);
      for (Map.Entry<String, Object[]> c : cols.entrySet()) {
        ColumnCodec.Encoded enc = ColumnCodec.encode(c.getValue());
        byte[] blob = compress(compression, enc.bytes());
        crc.reset();
        crc.update(blob);
        written.add(
            new Column(
                c.getKey(),
                enc.kind(),
                pos,
                blob.length,
                enc.bytes().length,
                (int) crc.getValue()));
        pos = writeFully(ch, blob, pos);
      }
      Meta meta =
          new Meta(
              id,
              partition,
              batch,
              events.size(),
              minTime,
              maxTime,
              seqs.isEmpty() ? -1 : seqs.get(0),
              seqs.isEmpty() ? -1 : seqs.get(seqs.size() - 1),
              List.copyOf(sources),
              compression.name(),
              List.copyOf(written),
              0);
      byte[] footer = JSON.writeValueAsBytes(meta);
      crc.reset();
      crc.update(footer);
      pos = writeFully(ch, footer, pos);
      ByteBuffer tail = ByteBuffer.allocate(8 + MAGIC.length);
      tail.putInt(footer.length).putInt((int) crc.getValue()).put(MAGIC);
      pos = writeFully(ch, tail.array(), pos);
      ch.force(true);
      return meta.withBatchAndSize(pos);
    }
  }

  private static long writeFully(FileChannel ch, byte[] data, long pos) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(data);
    while (b.hasRemaining()) {
      pos += ch.write(b, pos);
    }
    return pos;
  }

  private static byte[] compress(StoreOptions.Compression c, byte[] raw) {
    return switch (c) {
      case ZSTD -> Zstd.compress(raw, 3);
      case LZ4 -> LZ4.fastCompressor().compress(raw);
      case NONE -> raw;
    };
  }

  private static byte[] decompress(String c, byte[] blob, int rawLength) {
    return switch (StoreOptions.Compression.valueOf(c)) {
      case ZSTD -> Zstd.decompress(blob, rawLength);
      case LZ4 -> LZ4.fastDecompressor().decompress(blob, rawLength);
      case NONE -> blob;
    };
  }

  /** An open chunk: its validated footer and on-demand column reads. */
  static final class Reader implements AutoCloseable {
    final Meta meta;
    private final FileChannel ch;

    /** Opens a chunk whose footer is already known (queries), skipping the footer read. */
    Reader(StoreFileSystem fs, Path path, Meta known) throws IOException {
      ch = fs.open(path, StandardOpenOption.READ);
      meta = known;
    }

    Reader(StoreFileSystem fs, Path path) throws IOException {
      ch = fs.open(path, StandardOpenOption.READ);
      try {
        meta = readFooter(ch, path);
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e instanceof IOException io
            ? io
            : new IOException("corrupt chunk " + path + ": " + e, e);
      }
    }

    private static Meta readFooter(FileChannel ch, Path path) throws IOException {
      long size = ch.size();
      if (size < 2L * MAGIC.length + 8) {
        throw new IOException("chunk " + path.getFileName() + " too short");
      }
      byte[] tail = read(ch, size - 8 - MAGIC.length, 8 + MAGIC.length);
      ByteBuffer t = ByteBuffer.wrap(tail);
      int len = t.getInt();
      int crcExpected = t.getInt();
      if (!Arrays.equals(Arrays.copyOfRange(tail, 8, tail.length), MAGIC)
          || len <= 0
          || len > size) {
        throw new IOException("chunk " + path.getFileName() + " has no valid footer");
      }
      byte[] footer = read(ch, size - 8 - MAGIC.length - len, len);
      CRC32C crc = new CRC32C();
      crc.update(footer);
      if ((int) crc.getValue() != crcExpected) {
        throw new IOException("chunk " + path.getFileName() + " footer checksum mismatch");
      }
      return JSON.readValue(footer, Meta.class).withBatchAndSize(size);
    }

    /** The column's values per row; all null when the chunk has no such column. */
    Object[] column(String name) throws IOException {
      Column c = meta.column(name);
      if (c == null) {
        return new Object[meta.rows()];
      }
      byte[] blob = read(ch, c.offset(), c.length());
      CRC32C crc = new CRC32C();
      crc.update(blob);
      if ((int) crc.getValue() != c.crc()) {
        throw new IOException("chunk " + meta.id() + " column " + name + " checksum mismatch");
      }
      return ColumnCodec.decode(
          c.kind(), decompress(meta.compression(), blob, c.rawLength()), meta.rows());
    }

    /**
     * A whole-number column as primitives ({@code absent} where missing); null if the column is not
     * numeric.
     */
    long[] longColumn(String name, long absent) throws IOException {
      Column c = meta.column(name);
      if (c == null) {
        long[] out = new long[meta.rows()];
        Arrays.fill(out, absent);
        return out;
      }
      byte[] blob = read(ch, c.offset(), c.length());
      CRC32C crc = new CRC32C();
      crc.update(blob);
      if ((int) crc.getValue() != c.crc()) {
        throw new IOException("chunk " + meta.id() + " column " + name + " checksum mismatch");
      }
      return ColumnCodec.decodeLongs(
          c.kind(), decompress(meta.compression(), blob, c.rawLength()), meta.rows(), absent);
    }

    long[] sequences() throws IOException {
      Object[] s = column(SEQ);
      long[] out = new long[s.length];
      for (int i = 0; i < s.length; i++) {
        out[i] = (Long) s[i];
      }
      return out;
    }

    /** Rebuilds every row as an event, in sequence order. */
    List<Event> events() throws IOException {
      int n = meta.rows();
      List<Map<String, Object>> rows = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        rows.add(new LinkedHashMap<>());
      }
      for (Column c : meta.columns()) {
        if (c.name().equals(SEQ)) {
          continue;
        }
        Object[] vals = column(c.name());
        int dot = c.name().indexOf('.');
        String top = dot < 0 ? c.name() : c.name().substring(0, dot);
        boolean nested =
            dot >= 0 && (top.equals("event_properties") || top.equals("user_properties"));
        for (int i = 0; i < n; i++) {
          if (vals[i] == null) {
            continue;
          }
          if (nested) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m =
                (Map<String, Object>) rows.get(i).computeIfAbsent(top, k -> new LinkedHashMap<>());
            m.put(c.name().substring(dot + 1), vals[i]);
          } else {
            rows.get(i).put(c.name(), vals[i]);
          }
        }
      }
      List<Event> out = new ArrayList<>(n);
      for (Map<String, Object> r : rows) {
        out.add(Event.fromMap(r));
      }
      return out;
    }

    private static byte[] read(FileChannel ch, long pos, int len) throws IOException {
      ByteBuffer b = ByteBuffer.allocate(len);
      while (b.hasRemaining()) {
        if (ch.read(b, pos + b.position()) < 0) {
          throw new IOException("unexpected end of chunk");
        }
      }
      return b.array();
    }

    @Override
    public void close() throws IOException {
      ch.close();
    }
  }
}
