package dev.weir.definitions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Installed definitions, several versions of one id side by side. A destination pins an exact
 * version ({@code 1.4.2}) or the latest compatible within a major ({@code 1.x}, pre-releases
 * excluded); installing a new version never changes what an exact pin resolves to. Definitions can
 * be hot-loaded from a directory: new or changed files become available on the next scan, an
 * invalid file is reported and ignored while what it provided before stays installed. Thread-safe.
 */
public final class DefinitionRegistry implements AutoCloseable {
  /** The result of one directory scan: what was (re)loaded and the problems of files left out. */
  public record ScanReport(List<Definition> loaded, List<Problem> problems) {}

  private final Map<String, NavigableMap<SemVer, Definition>> byId = new ConcurrentHashMap<>();
  private final Map<Path, String> fingerprints = new ConcurrentHashMap<>();
  private volatile ScheduledExecutorService watcher;

  /** Installs {@code def}, replacing only a definition of the same id and version. */
  public void install(Definition def) {
    byId.computeIfAbsent(def.id(), k -> new ConcurrentSkipListMap<>())
        .put(SemVer.parse(def.version()), def);
  }

  /** Versions installed for {@code id}, oldest first. */
  public List<String> versions(String id) {
    NavigableMap<SemVer, Definition> v = byId.get(id);
    return v == null ? List.of() : v.values().stream().map(Definition::version).toList();
  }

  /**
   * The definition a pin selects: an exact version such as {@code 1.4.2}, or {@code 1.x} for the
   * newest release with major 1 (also accepted: {@code latest-compatible:1}).
   */
  public Optional<Definition> resolve(String id, String pin) {
    NavigableMap<SemVer, Definition> versions = byId.get(id);
    if (versions == null) {
      return Optional.empty();
    }
    String major =
        pin.endsWith(".x")
            ? pin.substring(0, pin.length() - 2)
            : pin.startsWith("latest-compatible:")
                ? pin.substring("latest-compatible:".length())
                : null;
    if (major != null) {
      int m = Integer.parseInt(major);
      return versions.descendingMap().entrySet().stream()
          .filter(e -> e.getKey().major() == m && e.getKey().pre().isEmpty())
          .map(Map.Entry::getValue)
          .findFirst();
    }
    return Optional.ofNullable(versions.get(SemVer.parse(pin)));
  }

  /**
   * Loads every new or changed {@code *.yaml}/{@code *.yml} file under {@code dir} (not recursive).
   */
  public ScanReport scan(Path dir) {
    List<Definition> loaded = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files =
          s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .sorted()
              .toList();
    } catch (IOException e) {
      problems.add(
          new Problem(dir.toString(), 0, 0, "", "cannot list the directory: " + e.getMessage()));
      return new ScanReport(loaded, problems);
    }
    for (Path f : files) {
      String fp;
      try {
        fp = Files.getLastModifiedTime(f).toMillis() + ":" + Files.size(f);
      } catch (IOException e) {
        continue; // deleted while scanning
      }
      if (fp.equals(fingerprints.get(f))) {
        continue;
      }
      fingerprints.put(f, fp);
      try {
        Definition d = Definitions.parse(f);
        install(d);
        loaded.add(d);
      } catch (DefinitionException e) {
        problems.addAll(e.problems());
      }
    }
    return new ScanReport(loaded, problems);
  }

  /**
   * Scans {@code dir} now and then every {@code interval} on a daemon thread, handing each report
   * with changes to {@code listener}. Stopped by {@link #close()}.
   */
  public synchronized void watch(Path dir, Duration interval, Consumer<ScanReport> listener) {
    if (watcher != null) {
      throw new IllegalStateException("already watching");
    }
    ScheduledExecutorService ex =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "definitions-watch");
              t.setDaemon(true);
              return t;
            });
    ex.scheduleWithFixedDelay(
        () -> {
          try {
            ScanReport r = scan(dir);
            if (!r.loaded().isEmpty() || !r.problems().isEmpty()) {
              listener.accept(r);
            }
          } catch (RuntimeException e) {
            listener.accept(
                new ScanReport(
                    List.of(),
                    List.of(new Problem(dir.toString(), 0, 0, "", "scan failed: " + e))));
          }
        },
        0,
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
    watcher = ex;
  }

  /** Stops watching; installed definitions stay. */
  @Override
  public synchronized void close() {
    if (watcher != null) {
      watcher.shutdownNow();
      watcher = null;
    }
  }
}
