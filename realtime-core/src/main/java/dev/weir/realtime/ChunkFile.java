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
import java.util.HashMap;
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
 *
 * <p>Footer format 2 (format 1 files, written before it, have no {@code format} key and stay
 * readable: they just cannot be pruned by value) adds per column the numeric {@code min}/{@code
 * max} and the dictionary {@code words} of low-cardinality string columns ({@code event_type},
 * {@code source_id}, ...), so a query skips a chunk without reading a column. A chunk merged from
 * several ({@link Chunker#mergeChunks}) lists them as {@code members}, each keeping its id, batch
 * label and sequence range, and holds a {@code _member} column with each row's member index: the
 * batch layer keeps seeing the chunks it knew.
 *
 * <p>Format 3 keeps properties whose value is JSON {@code null}: such a row is absent from the
 * property's value column (queries read null as absent, as they do in memory) and present in a
 * {@code _null.<column>} column, from which {@link Reader#events} puts the key back with its null.
 * Formats 1 and 2 stay readable as written (they dropped such keys). Stateless; {@link Reader} is
 * not thread-safe.
 */
final class ChunkFile {
  static final byte[] MAGIC = "WEIRCHK1".getBytes(StandardCharsets.US_ASCII);
  static final String SEQ = "_seq";
  static final String MEMBER = "_member";

  /** Prefix of the column marking the rows where a property is present with the value null. */
  static final String NULLS = "_null.";

  /** The footer format this build writes. */
  static final int FORMAT = 3;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LZ4Factory LZ4 = LZ4Factory.fastestInstance();

  private ChunkFile() {}

  record Column(
      String name,
      String kind,
      long offset,
      int length,
      int rawLength,
      int crc,
      Double min,
      Double max,
      List<String> words) {}

  /** One logical chunk inside a merged chunk file. */
  record Member(
      String id, long batch, int rows, long minTime, long maxTime, long minSeq, long maxSeq) {}

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
      long sizeBytes,
      int format,
      List<Member> members,
      List<String> replaces) {
    /** The logical chunks this file holds: its members, or itself when it was never merged. */
    List<Member> logical() {
      return members == null || members.isEmpty()
          ? List.of(new Member(id, batch, rows, minTime, maxTime, minSeq, maxSeq))
          : members;
    }

    ChunkInfo info() {
      return new ChunkInfo(id, partition, batch, rows, minTime, maxTime, minSeq, maxSeq, sizeBytes);
    }

    boolean merged() {
      return members != null && !members.isEmpty();
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
          size,
          format,
          members,
          replaces);
    }
  }

  static long eventTime(Event e) {
    return e.time() != null ? e.time() : e.uploadTime();
  }

  /**
   * The columns of rows (sorted by sequence), by name; a property whose value is null is marked in
   * its {@link #NULLS} column instead (top-level fields are never null in an event's map).
   */
  static Map<String, Object[]> columns(List<Long> seqs, List<Event> events) {
    int n = events.size();
    Map<String, Object[]> cols = new LinkedHashMap<>();
    Object[] seq = new Object[n];
    cols.put(SEQ, seq);
    Map<String, String> eventNames = new HashMap<>();
    Map<String, String> userNames = new HashMap<>();
    for (int i = 0; i < n; i++) {
      seq[i] = seqs.get(i);
      int row = i;
      // the event's own read-only values: no thawed copy of its property maps (JFR of
      // AppendBenchmark: Event.toMap's copies were half of the chunk writes' time)
      events
          .get(i)
          .forEachJsonField(
              (k, v) -> {
                Map<String, String> names =
                    k.equals("event_properties")
                        ? eventNames
                        : k.equals("user_properties") ? userNames : null;
                if (names != null) {
                  @SuppressWarnings("unchecked")
                  Map<String, Object> props = (Map<String, Object>) v;
                  props.forEach(
                      (pk, pv) -> {
                        String name = names.computeIfAbsent(pk, x -> k + "." + x);
                        if (pv == null) {
                          cols.computeIfAbsent(NULLS + name, x -> new Object[n])[row] =
                              Boolean.TRUE;
                        } else {
                          cols.computeIfAbsent(name, x -> new Object[n])[row] = pv;
                        }
                      });
                } else {
                  cols.computeIfAbsent(k, x -> new Object[n])[row] = v;
                }
              });
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
    return write(fs, path, id, partition, batch, seqs, events, sources, compression, null);
  }

  /**
   * What a merged chunk adds: its logical members, each row's member index (parallel to the events)
   * and the chunk files it replaces (recovery deletes those if a crash left them).
   */
  record Merge(List<Member> members, int[] memberOfRow, List<String> replaces) {}

  /** Writes a chunk; {@code merge} is given for a merged (or rewritten merged) chunk, else null. */
  static Meta write(
      StoreFileSystem fs,
      Path path,
      String id,
      int partition,
      long batch,
      List<Long> seqs,
      List<Event> events,
      List<String> sources,
      StoreOptions.Compression compression,
      Merge merge)
      throws IOException {
    long minTime = Long.MAX_VALUE;
    long maxTime = Long.MIN_VALUE;
    for (Event e : events) {
      long t = eventTime(e);
      minTime = Math.min(minTime, t);
      maxTime = Math.max(maxTime, t);
    }
    Map<String, Object[]> cols = columns(seqs, events);
    if (merge != null) {
      Object[] m = new Object[merge.memberOfRow().length];
      for (int i = 0; i < m.length; i++) {
        m[i] = merge.memberOfRow()[i];
      }
      cols.put(MEMBER, m);
    }
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
                (int) crc.getValue(),
                enc.min(),
                enc.max(),
                enc.words()));
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
              0,
              FORMAT,
              merge == null ? null : List.copyOf(merge.members()),
              merge == null ? null : List.copyOf(merge.replaces()));
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

  /**
   * Rewrites a chunk with only {@code keep} of its rows (user deletion), keeping its id, batch,
   * sources and, for a merged chunk, its members with their statistics recomputed.
   */
  static Meta rewrite(
      StoreFileSystem fs,
      Path tmp,
      Meta old,
      long[] seqs,
      List<Event> events,
      int[] memberOfRow,
      boolean[] keep,
      StoreOptions.Compression compression)
      throws IOException {
    List<Long> keptSeqs = new ArrayList<>();
    List<Event> kept = new ArrayList<>();
    List<Integer> keptMember = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      if (keep[i]) {
        keptSeqs.add(seqs[i]);
        kept.add(events.get(i));
        keptMember.add(memberOfRow[i]);
      }
    }
    Merge merge = null;
    if (old.merged()) {
      List<Member> members = new ArrayList<>();
      for (int m = 0; m < old.members().size(); m++) {
        Member was = old.members().get(m);
        int rows = 0;
        long minT = Long.MAX_VALUE;
        long maxT = Long.MIN_VALUE;
        long minS = Long.MAX_VALUE;
        long maxS = Long.MIN_VALUE;
        for (int i = 0; i < kept.size(); i++) {
          if (keptMember.get(i) == m) {
            rows++;
            long t = eventTime(kept.get(i));
            minT = Math.min(minT, t);
            maxT = Math.max(maxT, t);
            minS = Math.min(minS, keptSeqs.get(i));
            maxS = Math.max(maxS, keptSeqs.get(i));
          }
        }
        members.add(
            rows == 0
                ? new Member(
                    was.id(),
                    was.batch(),
                    0,
                    was.minTime(),
                    was.minTime(),
                    was.minSeq(),
                    was.minSeq())
                : new Member(was.id(), was.batch(), rows, minT, maxT, minS, maxS));
      }
      int[] mo = keptMember.stream().mapToInt(Integer::intValue).toArray();
      merge = new Merge(members, mo, old.replaces() == null ? List.of() : old.replaces());
    }
    return write(
        fs,
        tmp,
        old.id(),
        old.partition(),
        old.batch(),
        keptSeqs,
        kept,
        old.sources(),
        compression,
        merge);
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
      return ColumnCodec.decode(c.kind(), raw(c), meta.rows());
    }

    /** The column decoded into primitives; all absent when the chunk has no such column. */
    Col col(String name) throws IOException {
      Column c = meta.column(name);
      if (c == null) {
        return new Col.Dict(new int[meta.rows()], new String[0], true);
      }
      return ColumnCodec.decodeCol(c.kind(), raw(c), meta.rows());
    }

    private byte[] raw(Column c) throws IOException {
      byte[] blob = read(ch, c.offset(), c.length());
      CRC32C crc = new CRC32C();
      crc.update(blob);
      if ((int) crc.getValue() != c.crc()) {
        throw new IOException("chunk " + meta.id() + " column " + c.name() + " checksum mismatch");
      }
      return decompress(meta.compression(), blob, c.rawLength());
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
      return ColumnCodec.decodeLongs(c.kind(), raw(c), meta.rows(), absent);
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
        if (c.name().equals(SEQ) || c.name().equals(MEMBER)) {
          continue;
        }
        Object[] vals = column(c.name());
        boolean nulls = c.name().startsWith(NULLS);
        String name = nulls ? c.name().substring(NULLS.length()) : c.name();
        int dot = name.indexOf('.');
        String top = dot < 0 ? name : name.substring(0, dot);
        boolean nested =
            dot >= 0 && (top.equals("event_properties") || top.equals("user_properties"));
        for (int i = 0; i < n; i++) {
          if (vals[i] == null) {
            continue;
          }
          Object v = nulls ? null : vals[i];
          if (nested) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m =
                (Map<String, Object>) rows.get(i).computeIfAbsent(top, k -> new LinkedHashMap<>());
            m.put(name.substring(dot + 1), v);
          } else if (!nulls) {
            rows.get(i).put(name, v);
          }
        }
      }
      List<Event> out = new ArrayList<>(n);
      for (Map<String, Object> r : rows) {
        out.add(Event.fromMap(r));
      }
      return out;
    }

    /** Each row's member index in {@link Meta#logical()} (all 0 for a chunk never merged). */
    int[] memberOfRows() throws IOException {
      int[] out = new int[meta.rows()];
      if (meta.column(MEMBER) != null) {
        long[] m = longColumn(MEMBER, 0);
        for (int i = 0; i < out.length; i++) {
          out[i] = (int) m[i];
        }
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
