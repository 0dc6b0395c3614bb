package dev.weir.realtime;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.roaringbitmap.RoaringBitmap;

/**
 * Segmentation, funnel, retention and audience over cached blocks (through the quiet view), evicted
 * block files and chunks. Every chunk and the in-memory rows of every partition is one task on the
 * query pool (all cores); a task skips its slice from the footer when it can, else selects rows as
 * RoaringBitmaps over primitive columns (see {@link Select}) and aggregates without boxing. Decoded
 * chunk columns stay in a cache bounded by {@code query_cache_bytes}; what a query holds besides
 * (accumulators, distinct-user bitmaps, the rows a funnel or retention keeps, an audience's names)
 * counts against {@code query_memory_bytes} in its {@link Scope}. Thread-safe.
 */
final class QueryEngine {
  private final List<Partition> partitions;
  private final ExecutorService pool;
  private final Cache<String, Col> cache;
  private volatile Identities identities = new Identities(0);
  private final long memoryBudget;

  /** The engine over every partition, whose identity dictionary a partition subset numbers with. */
  private final QueryEngine root;

  QueryEngine(List<Partition> partitions, ExecutorService pool, long cacheBytes, long memoryBytes) {
    this.partitions = partitions;
    this.pool = pool;
    this.memoryBudget = memoryBytes;
    this.root = this;
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(cacheBytes)
            .weigher((String k, Col c) -> (int) Math.min(Integer.MAX_VALUE, c.bytes() + 64))
            .executor(Runnable::run)
            .recordStats()
            .build();
  }

  private QueryEngine(QueryEngine all, List<Partition> only) {
    this.partitions = only;
    this.pool = all.pool;
    this.memoryBudget = all.memoryBudget;
    this.root = all.root;
    this.cache = all.cache;
  }

  /**
   * The same engine (pool, column cache, identities) over only the partitions in {@code ids}: a
   * cluster node answers for the partitions a query names.
   */
  QueryEngine only(java.util.Collection<Integer> ids) {
    List<Partition> sub = new ArrayList<>();
    for (Partition p : partitions) {
      if (ids.contains(p.id)) {
        sub.add(p);
      }
    }
    return new QueryEngine(this, sub);
  }

  QueryEngine(List<Partition> partitions, ExecutorService pool) {
    this(partitions, pool, 256L << 20, 1L << 30);
  }

  Cache<String, Col> cache() {
    return cache;
  }

  ExecutorService pool() {
    return pool;
  }

  /** The identity dictionary new queries number users with (see {@link #renumberUsers}). */
  Identities identities() {
    return root.identities;
  }

  /**
   * Starts a new identity dictionary for the queries that start from now on (those running keep
   * theirs); the old one goes when those queries end, and the identity columns cached under it are
   * dropped now (the ones a running query still adds go with the cache's eviction). Called when
   * data left the store (cleanup deleted chunks, a user was deleted), so the dictionary holds only
   * users of data the store held since then; the next queries number users afresh.
   */
  void renumberUsers() {
    if (root != this) {
      root.renumberUsers();
      return;
    }
    Identities old = identities;
    identities = new Identities(old.generation() + 1);
    String suffix = Slice.IDENTITY + "@" + old.generation();
    cache.asMap().keySet().removeIf(k -> k.endsWith(suffix));
  }

  /**
   * One query's context: the identity dictionary it numbers users with (the same for all its
   * slices, even if the store starts a new one meanwhile) and the accounting of what it holds
   * against {@code query_memory_bytes}. Once a task of the query fails, its tasks not yet started
   * are skipped.
   */
  final class Scope {
    final Identities ids = root.identities;
    private final AtomicLong used = new AtomicLong();
    private volatile boolean failed;

    /** Counts {@code bytes} more held by this query; refuses the query past the budget. */
    void take(long bytes) {
      if (used.addAndGet(bytes) > memoryBudget) {
        failed = true;
        throw new QueryTooLargeException(
            "the query needs more than query_memory_bytes ("
                + memoryBudget
                + " bytes); narrow its time range or filters");
      }
    }

    long used() {
      return used.get();
    }

    /** A scan starts again from a fresh snapshot: what its failed attempt held is let go. */
    private void retry(long usedBefore) {
      used.set(usedBefore);
      failed = false;
    }
  }

  /**
   * Runs {@code task} on every slice of every partition in parallel, each slice read from the
   * snapshot taken at the start; retried from a fresh snapshot if a merge or cleanup removed a
   * chunk meanwhile.
   */
  <T> List<T> scan(Scope scope, long from, long to, Function<Slice, T> task) {
    Function<Slice, T> guarded =
        s -> {
          if (scope.failed) {
            return null;
          }
          try {
            return task.apply(s);
          } catch (RuntimeException e) {
            scope.failed = true;
            throw e;
          }
        };
    long before = scope.used();
    for (int attempt = 0; ; attempt++) {
      try {
        return scanOnce(from, to, guarded);
      } catch (CompletionException | UncheckedIOException e) {
        Throwable c = e instanceof CompletionException ? e.getCause() : e;
        if (c instanceof UncheckedIOException u
            && u.getCause() instanceof NoSuchFileException
            && attempt < 5) {
          // every task of the attempt has ended (scanOnce waits): its partial results are dropped
          scope.retry(before);
          continue;
        }
        if (c instanceof RuntimeException r) {
          throw r;
        }
        throw e;
      }
    }
  }

  private <T> List<T> scanOnce(long from, long to, Function<Slice, T> task) {
    List<CompletableFuture<T>> futures = new ArrayList<>();
    for (Partition p : partitions) {
      Partition.Snapshot s = p.snapshot();
      futures.add(CompletableFuture.supplyAsync(() -> memory(p, s, from, to, task), pool));
      for (ChunkFile.Meta m : s.chunks()) {
        if (m.maxTime() < from || m.minTime() >= to || m.rows() == 0) {
          continue;
        }
        futures.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try (Slice.ChunkSlice cs = new Slice.ChunkSlice(p, m, cache)) {
                    return task.apply(cs);
                  }
                },
                pool));
      }
    }
    // every task ends before this returns or throws, so a retry never overlaps a failed attempt
    List<T> out = new ArrayList<>();
    RuntimeException first = null;
    for (CompletableFuture<T> f : futures) {
      try {
        T t = f.join();
        if (t != null) {
          out.add(t);
        }
      } catch (RuntimeException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
    return out;
  }

  /** The cached blocks and evicted block files of a partition, as one task. */
  private <T> T memory(
      Partition p, Partition.Snapshot s, long from, long to, Function<Slice, T> task) {
    List<T> parts = new ArrayList<>();
    for (Block.Rows r : s.blocks()) {
      if (r.size() > 0) {
        parts.add(task.apply(Slice.RowSlice.of(r)));
      }
    }
    for (Partition.Evicted ev : s.evicted()) {
      if (ev.maxTime() < from || ev.minTime() >= to) {
        continue;
      }
      parts.add(task.apply(new Slice.EvictedSlice(p, ev, cache)));
    }
    parts.removeIf(java.util.Objects::isNull);
    if (parts.isEmpty()) {
      return null;
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    return combine(parts);
  }

  /** Partial results of a task that saw several slices are merged by the caller's type. */
  @SuppressWarnings("unchecked")
  private static <T> T combine(List<T> parts) {
    Object first = parts.get(0);
    if (first instanceof Segments.Partial) {
      Segments.Partial acc = (Segments.Partial) first;
      for (int i = 1; i < parts.size(); i++) {
        acc.merge((Segments.Partial) parts.get(i));
      }
      return (T) acc;
    }
    if (first instanceof Paths.Rows) {
      return (T) Paths.Rows.concat((List<Paths.Rows>) parts);
    }
    RoaringBitmap b = new RoaringBitmap();
    for (T t : parts) {
      b.or((RoaringBitmap) t);
    }
    return (T) b;
  }

  SegmentationResult segmentation(SegmentationQuery q) {
    return new Segments(this, q).run();
  }

  FunnelResult funnel(FunnelQuery q) {
    return Paths.funnel(this, q);
  }

  RetentionResult retention(RetentionQuery q) {
    return Paths.retention(this, q);
  }

  Set<String> audience(AudienceQuery q) {
    Select sel = new Select(q.fromTime(), q.toTime(), q.eventType(), q.filters(), q.sources());
    Scope scope = new Scope();
    List<RoaringBitmap> parts =
        scan(
            scope,
            q.fromTime(),
            q.toTime(),
            s -> {
              RoaringBitmap rows = sel.rows(s);
              if (rows == null || rows.isEmpty()) {
                return null;
              }
              int[] ids = s.identities(scope.ids);
              RoaringBitmap who = new RoaringBitmap();
              rows.forEach(
                  (int r) -> {
                    if (ids[r] >= 0) {
                      who.add(ids[r]);
                    }
                  });
              scope.take(who.getSizeInBytes());
              return who;
            });
    RoaringBitmap all = new RoaringBitmap();
    parts.forEach(all::or);
    // the answer: a set of names, about 64 bytes each plus the name
    scope.take(all.getSizeInBytes() + 64L * all.getCardinality());
    Set<String> out = new TreeSet<>();
    all.forEach(
        (int id) -> {
          String name = scope.ids.name(id);
          scope.take(2L * name.length());
          out.add(name);
        });
    return out;
  }
}
