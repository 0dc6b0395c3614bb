package dev.weir.realtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.fastfilter.xor.Xor8;

/**
 * One sealed key file of the dedup index ({@code p<N>/keys/<name>.keys}) and its in-memory part. On
 * disk: a header {@code [int magic][int version][int level][int count][long minUpload][long
 * maxUpload]}, the {@code count} distinct 64-bit dedup keys in ascending (signed) order, the names
 * of the blocks it covers ({@code [int n]} then {@code [short length][UTF-8]} each), and a CRC32C
 * of everything before it. In memory: an xor filter (about 9.8 bits per key) that answers
 * "certainly absent" for almost every new key, and every {@value #STRIDE}th key, so a filter hit
 * costs one read of at most {@value #STRIDE} keys. Once the partition's guard filter covers the
 * file ({@link #coverByGuard}), the file drops its own filter and the caller asks the guard first.
 * Lookups and {@link #coverByGuard} run under the partition lock; everything else is immutable.
 */
final class KeySidecar {
  static final int MAGIC = 0x574b4559; // "WKEY"
  static final int VERSION = 1;
  static final int HEADER = 32;
  static final int STRIDE = 256;

  final String name;
  final Path path;
  final int level;
  final int count;
  final long minUpload;
  final long maxUpload;
  final java.util.List<String> covers;

  /** Own filter; null for a small file or once {@link #guarded}. Guarded by the partition lock. */
  private volatile Xor8 filter;

  /**
   * Whether the partition's guard filter covers this file's keys. Guarded by the partition lock.
   */
  private boolean guarded;

  /** Every {@value #STRIDE}th key; all keys when there are fewer than {@value #STRIDE}. */
  private final long[] marks;

  private final StoreFileSystem fs;

  private KeySidecar(
      StoreFileSystem fs,
      String name,
      Path path,
      int level,
      long minUpload,
      long maxUpload,
      long[] sortedKeys,
      java.util.List<String> covers) {
    this.fs = fs;
    this.covers = java.util.List.copyOf(covers);
    this.name = name;
    this.path = path;
    this.level = level;
    this.count = sortedKeys.length;
    this.minUpload = minUpload;
    this.maxUpload = maxUpload;
    if (count < STRIDE) {
      // a small file keeps its keys in memory (at most 2 KiB): no filter, no disk probe; Xor8 also
      // never finishes constructing for exactly two keys
      this.filter = null;
      this.marks = sortedKeys.clone();
    } else {
      this.filter = Xor8.construct(sortedKeys);
      this.marks = new long[(count + STRIDE - 1) / STRIDE];
      for (int i = 0; i < marks.length; i++) {
        marks[i] = sortedKeys[i * STRIDE];
      }
    }
  }

  /** Sorted distinct copy of {@code keys[0..n)} without zeros. */
  static long[] sortedDistinct(long[] keys, int n) {
    long[] k = Arrays.copyOf(keys, n);
    Arrays.sort(k);
    int w = 0;
    for (int i = 0; i < k.length; i++) {
      if (k[i] != 0 && (w == 0 || k[w - 1] != k[i])) {
        k[w++] = k[i];
      }
    }
    return w == k.length ? k : Arrays.copyOf(k, w);
  }

  /**
   * Writes the key file durably (temp file, fsync, rename, directory fsync) and returns it loaded.
   */
  static KeySidecar write(
      StoreFileSystem fs,
      Path dir,
      String name,
      int level,
      long minUpload,
      long maxUpload,
      long[] sortedKeys,
      java.util.List<String> covers)
      throws IOException {
    Path path = dir.resolve(name + ".keys");
    Path tmp = dir.resolve(name + ".keys.tmp");
    java.util.List<byte[]> names = new java.util.ArrayList<>();
    int namesBytes = 4;
    for (String c : covers) {
      byte[] u = c.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      names.add(u);
      namesBytes += 2 + u.length;
    }
    ByteBuffer b = ByteBuffer.allocate(HEADER + 8 * sortedKeys.length + namesBytes + 4);
    b.putInt(MAGIC).putInt(VERSION).putInt(level).putInt(sortedKeys.length);
    b.putLong(minUpload).putLong(maxUpload);
    for (long k : sortedKeys) {
      b.putLong(k);
    }
    b.putInt(names.size());
    for (byte[] u : names) {
      b.putShort((short) u.length).put(u);
    }
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, b.position());
    b.putInt((int) crc.getValue());
    b.flip();
    try (FileChannel ch =
        fs.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      long pos = 0;
      while (b.hasRemaining()) {
        pos += ch.write(b, pos);
      }
      ch.force(true);
    }
    fs.move(tmp, path);
    fs.syncDirectory(dir);
    return new KeySidecar(fs, name, path, level, minUpload, maxUpload, sortedKeys, covers);
  }

  /** Loads a key file, verifying its checksum. */
  static KeySidecar read(StoreFileSystem fs, Path path) throws IOException {
    String file = path.getFileName().toString();
    String name = file.substring(0, file.length() - ".keys".length());
    ByteBuffer all = readAll(fs, path);
    if (all.remaining() < HEADER + 4) {
      throw new IOException("key file " + file + " is too short");
    }
    int end = all.limit() - 4;
    CRC32C crc = new CRC32C();
    crc.update(all.array(), 0, end);
    if ((int) crc.getValue() != all.getInt(end)) {
      throw new IOException("key file " + file + " checksum mismatch");
    }
    if (all.getInt(0) != MAGIC || all.getInt(4) != VERSION) {
      throw new IOException("key file " + file + " has an unknown format");
    }
    int level = all.getInt(8);
    int count = all.getInt(12);
    if (count < 0 || HEADER + 8L * count + 4 > end) {
      throw new IOException("key file " + file + " length does not match its count");
    }
    long[] keys = new long[count];
    all.position(HEADER);
    all.asLongBuffer().get(keys, 0, count);
    all.position(HEADER + 8 * count);
    int n = all.getInt();
    java.util.List<String> covers = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] u = new byte[all.getShort() & 0xffff];
      all.get(u);
      covers.add(new String(u, java.nio.charset.StandardCharsets.UTF_8));
    }
    return new KeySidecar(fs, name, path, level, all.getLong(16), all.getLong(24), keys, covers);
  }

  /** Every key, ascending (reads the file). */
  long[] keys() throws IOException {
    ByteBuffer all = readAll(fs, path);
    long[] keys = new long[count];
    all.position(HEADER);
    all.asLongBuffer().get(keys, 0, count);
    return keys;
  }

  private static ByteBuffer readAll(StoreFileSystem fs, Path path) throws IOException {
    try (FileChannel ch = fs.open(path, StandardOpenOption.READ)) {
      long n = ch.size();
      if (n > Integer.MAX_VALUE - 16) {
        throw new IOException("key file too large: " + path);
      }
      ByteBuffer b = ByteBuffer.allocate((int) n).order(ByteOrder.BIG_ENDIAN);
      while (b.hasRemaining()) {
        if (ch.read(b, b.position()) < 0) {
          break;
        }
      }
      b.flip();
      return b;
    }
  }

  /** Whether every key is held in memory (a file of fewer than {@value #STRIDE} keys). */
  boolean small() {
    return count < STRIDE;
  }

  /** Whether the partition's guard filter, not this file's own, answers "certainly absent". */
  boolean guarded() {
    return guarded;
  }

  /** Drops the file's own filter: the partition's guard filter now holds its keys. */
  void coverByGuard() {
    if (!small()) {
      filter = null;
      guarded = true;
    }
  }

  /**
   * Exact membership: the filter (unless {@link #guarded}, when the caller has asked the guard),
   * then one read of the key's stride from disk.
   */
  boolean contains(long key) throws IOException {
    if (small()) {
      return Arrays.binarySearch(marks, key) >= 0;
    }
    Xor8 f = filter;
    if (f != null && !f.mayContain(key)) {
      return false;
    }
    int page = Arrays.binarySearch(marks, key);
    if (page >= 0) {
      return true;
    }
    page = -page - 2;
    if (page < 0) {
      return false;
    }
    int from = page * STRIDE;
    int n = Math.min(STRIDE, count - from);
    ByteBuffer b = ByteBuffer.allocate(8 * n);
    try (FileChannel ch = fs.open(path, StandardOpenOption.READ)) {
      long pos = HEADER + 8L * from;
      while (b.hasRemaining()) {
        int r = ch.read(b, pos + b.position());
        if (r < 0) {
          throw new IOException("key file " + path.getFileName() + " is shorter than its count");
        }
      }
    }
    b.flip();
    long[] page8 = new long[n];
    b.asLongBuffer().get(page8);
    return Arrays.binarySearch(page8, key) >= 0;
  }

  /** Heap held: the filter's fingerprints and the stride marks. */
  long heapBytes() {
    Xor8 f = filter;
    return (f == null ? 0 : f.getBitCount() / 8) + 8L * marks.length + 96;
  }
}
