package dev.weir.realtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.fastfilter.xor.Xor8;

/**
 * The dedup keys of one partition's sealed blocks, over the dedup window: one {@link KeySidecar}
 * file per sealed block under {@code p<N>/keys/}, written when the block leaves the cache, merged
 * four at a time into larger ones (up to level {@value #MAX_LEVEL}, so a day of 5-minute blocks
 * needs about a dozen files), and dropped once all their keys are older than the window. A new key
 * would probe every file's filter (a dozen filters, three random cache lines each); so one
 * partition-wide guard filter over the files' keys answers "certainly absent" first, and the files
 * it covers drop their own filters. The merge thread rebuilds the guard from the files once {@value
 * #GUARD_AFTER} files are not covered, so a new key probes the guard and at most one young file's
 * filter; a rebuild reads every key of the window once (8 bytes a key) every other sealed block.
 * Sealing and lookups run under the partition lock; merges and guard builds read and build outside
 * it and swap under it.
 */
final class KeyIndex {
  static final int FAN_IN = 4;
  static final int MAX_LEVEL = 3;
  static final int GUARD_AFTER = 2;

  final Path dir;
  private final StoreFileSystem fs;
  private final Consumer<String> problems;
  private final int partition;
  final CopyOnWriteArrayList<KeySidecar> sealed = new CopyOnWriteArrayList<>();

  /**
   * Xor filter over the keys of every {@link KeySidecar#guarded} file (and perhaps of files since
   * expired or rewritten, which only costs a probe); null until first built. Under the lock.
   */
  private volatile Xor8 guard;

  /** Keys of sealed blocks whose key file could not be written: kept in memory, still exact. */
  private final Map<String, LongKeySet> unwritten = new ConcurrentHashMap<>();

  KeyIndex(int partition, Path dir, StoreFileSystem fs, Consumer<String> problems) {
    this.partition = partition;
    this.dir = dir;
    this.fs = fs;
    this.problems = problems;
  }

  /** Under the lock: whether a sealed block within the window holds the key. */
  boolean contains(long key, long windowStartMillis) {
    for (LongKeySet k : unwritten.values()) {
      if (k.contains(key)) {
        return true;
      }
    }
    boolean guardMayHold = guard == null || guard.mayContain(key);
    for (KeySidecar s : sealed) {
      if (s.maxUpload < windowStartMillis || (!guardMayHold && s.guarded())) {
        continue;
      }
      try {
        if (s.contains(key)) {
          return true;
        }
      } catch (IOException e) {
        problems.accept(
            "p" + partition + ": key file " + s.name + " unreadable, treated as absent: " + e);
      }
    }
    return false;
  }

  /** Under the lock: records the keys of a block leaving the cache. */
  void seal(String blockName, long minUpload, long maxUpload, LongKeySet keys) {
    seal(blockName, minUpload, maxUpload, keys, List.of(blockName));
  }

  /** Records the keys of sealed data covering the blocks {@code covers}. */
  void seal(String name, long minUpload, long maxUpload, LongKeySet keys, List<String> covers) {
    String blockName = name;
    if (keys.size() == 0) {
      return;
    }
    long[] sorted = KeySidecar.sortedDistinct(keys.toArray(), keys.size());
    try {
      sealed.add(KeySidecar.write(fs, dir, name, 0, minUpload, maxUpload, sorted, covers));
    } catch (IOException e) {
      unwritten.put(blockName, keys);
      problems.accept(
          "p"
              + partition
              + ": writing the key file of block "
              + blockName
              + " failed, its keys stay in memory: "
              + e);
    }
  }

  /**
   * Under the lock: removes {@code keys} (of deleted events) from every key file and in-memory set
   * that holds one; each such file is rewritten durably under its own name, keeping what it covers.
   * Returns how many files were rewritten. A merge that read a file before it was rewritten is
   * discarded (see {@link #merge}).
   */
  int forget(Set<Long> keys) throws IOException {
    if (keys.isEmpty()) {
      return 0;
    }
    for (Map.Entry<String, LongKeySet> e : unwritten.entrySet()) {
      long[] held = e.getValue().toArray();
      LongKeySet kept = new LongKeySet(held.length);
      for (long k : held) {
        if (!keys.contains(k)) {
          kept.add(k);
        }
      }
      e.setValue(kept);
    }
    int rewritten = 0;
    for (KeySidecar s : List.copyOf(sealed)) {
      boolean holds = false;
      for (long k : keys) {
        if ((!s.guarded() || guard == null || guard.mayContain(k)) && s.contains(k)) {
          holds = true;
          break;
        }
      }
      if (!holds) {
        continue;
      }
      long[] all = s.keys();
      long[] kept = new long[all.length];
      int n = 0;
      for (long k : all) {
        if (!keys.contains(k)) {
          kept[n++] = k;
        }
      }
      KeySidecar fresh =
          KeySidecar.write(
              fs,
              dir,
              s.name,
              s.level,
              s.minUpload,
              s.maxUpload,
              java.util.Arrays.copyOf(kept, n),
              s.covers);
      int at = sealed.indexOf(s);
      if (at >= 0) {
        sealed.set(at, fresh);
      }
      rewritten++;
    }
    return rewritten;
  }

  /** Block names whose keys are indexed. */
  Set<String> covered() {
    Set<String> out = new HashSet<>(unwritten.keySet());
    for (KeySidecar s : sealed) {
      out.addAll(s.covers);
    }
    return out;
  }

  /** Recovery: loads every key file; unfinished ones are removed, unreadable ones set aside. */
  void load() throws IOException {
    for (Path f : Recovery.list(dir)) {
      String name = f.getFileName().toString();
      if (name.endsWith(".tmp")) {
        fs.delete(f);
        continue;
      }
      if (!name.endsWith(".keys")) {
        continue;
      }
      try {
        sealed.add(KeySidecar.read(fs, f));
      } catch (java.nio.file.NoSuchFileException gone) {
        // removed meanwhile (expired or merged)
      } catch (IOException e) {
        problems.accept(
            "p"
                + partition
                + ": unreadable key file "
                + name
                + " set aside as .corrupt (its keys are rebuilt from the data): "
                + e.getMessage());
        fs.move(f, f.resolveSibling(name + ".corrupt"));
      }
    }
    sealed.sort(Comparator.comparingLong(s -> s.minUpload));
  }

  /** Removes key files whose every key is older than the window; returns their names. */
  List<String> expire(long windowStartMillis) throws IOException {
    List<String> gone = new ArrayList<>();
    for (KeySidecar s : List.copyOf(sealed)) {
      if (s.maxUpload < windowStartMillis) {
        sealed.remove(s);
        fs.delete(s.path);
        gone.add(s.name);
      }
    }
    if (!gone.isEmpty()) {
      fs.syncDirectory(dir);
    }
    return gone;
  }

  /** The oldest {@value #FAN_IN} files of the lowest level that has that many, or none. */
  List<KeySidecar> mergeCandidates() {
    for (int level = 0; level < MAX_LEVEL; level++) {
      List<KeySidecar> at = new ArrayList<>();
      for (KeySidecar s : sealed) {
        if (s.level == level) {
          at.add(s);
        }
      }
      if (at.size() >= FAN_IN) {
        at.sort(Comparator.comparingLong(s -> s.minUpload));
        return at.subList(0, FAN_IN);
      }
    }
    return List.of();
  }

  /**
   * Merges {@code group} into one file of the next level. Reads and writes outside the lock; the
   * swap runs under {@code lock}. The merged file is in place before the old ones go, so a crash in
   * between leaves keys twice, never none.
   */
  void merge(List<KeySidecar> group, java.util.concurrent.locks.Lock lock) throws IOException {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    List<String> covers = new ArrayList<>();
    for (KeySidecar s : group) {
      min = Math.min(min, s.minUpload);
      max = Math.max(max, s.maxUpload);
      covers.addAll(s.covers);
    }
    long[] sorted = distinctKeysOf(group);
    String name = group.get(0).name + ".L" + (group.get(0).level + 1);
    KeySidecar merged =
        KeySidecar.write(fs, dir, name, group.get(0).level + 1, min, max, sorted, covers);
    lock.lock();
    try {
      if (!group.stream().allMatch(g -> sealed.stream().anyMatch(s -> s == g))) {
        // a user deletion rewrote one of them meanwhile: the merged file may hold its keys
        fs.delete(merged.path);
        return;
      }
      if (group.stream().allMatch(KeySidecar::guarded)) {
        merged.coverByGuard(); // its keys are the group's, which the guard holds
      }
      sealed.add(merged);
      sealed.removeAll(group);
    } finally {
      lock.unlock();
    }
    for (KeySidecar s : group) {
      fs.delete(s.path);
    }
    fs.syncDirectory(dir);
  }

  /** Runs merges until no level has {@value #FAN_IN} files; one caller at a time. */
  void mergeAll(java.util.concurrent.locks.Lock lock) {
    if (!merging.compareAndSet(false, true)) {
      return;
    }
    try {
      List<KeySidecar> group;
      while (!(group = mergeCandidates()).isEmpty()) {
        merge(List.copyOf(group), lock);
      }
      guardIfDue(lock);
    } catch (IOException | RuntimeException e) {
      problems.accept("p" + partition + ": merging key files failed, they stay as they are: " + e);
    } finally {
      merging.set(false);
    }
  }

  /**
   * Rebuilds the guard over every sealed file once {@value #GUARD_AFTER} files are not covered.
   * Reads the files and builds the filter outside the lock; under it, installs the guard and covers
   * the files that are still sealed (a file added or rewritten meanwhile keeps its own filter). The
   * merge thread only.
   */
  void guardIfDue(java.util.concurrent.locks.Lock lock) throws IOException {
    List<KeySidecar> files;
    lock.lock();
    try {
      files = sealed.stream().filter(s -> !s.small()).toList();
    } finally {
      lock.unlock();
    }
    if (files.stream().filter(s -> !s.guarded()).count() < GUARD_AFTER) {
      return;
    }
    long[] distinct = distinctKeysOf(files);
    Xor8 built = Xor8.construct(distinct);
    lock.lock();
    try {
      guard = built;
      for (KeySidecar s : files) {
        if (sealed.contains(s)) {
          s.coverByGuard();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Every key of {@code files}, sorted and distinct (reads each file). */
  private static long[] distinctKeysOf(List<KeySidecar> files) throws IOException {
    long total = 0;
    for (KeySidecar s : files) {
      total += s.count;
    }
    long[] all = new long[Math.toIntExact(total)];
    int w = 0;
    for (KeySidecar s : files) {
      long[] k = s.keys();
      System.arraycopy(k, 0, all, w, k.length);
      w += k.length;
    }
    return KeySidecar.sortedDistinct(all, w);
  }

  private final java.util.concurrent.atomic.AtomicBoolean merging =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** Heap held by the filters, stride marks and any keys kept in memory. */
  long heapBytes() {
    Xor8 g = guard;
    long b = g == null ? 0 : g.getBitCount() / 8;
    for (KeySidecar s : sealed) {
      b += s.heapBytes();
    }
    for (LongKeySet k : unwritten.values()) {
      b += k.memoryBytes();
    }
    return b;
  }

  long keyCount() {
    long n = 0;
    for (KeySidecar s : sealed) {
      n += s.count;
    }
    for (LongKeySet k : unwritten.values()) {
      n += k.size();
    }
    return n;
  }
}
