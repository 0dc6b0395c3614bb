package dev.weir.host.plugin;

import dev.weir.host.config.ConnectorCatalog;
import dev.weir.sdk.BatchDestination;
import dev.weir.sdk.ConnectorKind;
import dev.weir.sdk.SourceConnector;
import dev.weir.sdk.StreamingDestination;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every connector the host can run, keyed by id and version: the built-in ones found on the class
 * path (pf4j system extensions) and those in plugin jars under the plugins directory, each jar in
 * its own class loader. Creates a fresh connector instance per configured connection and remembers
 * which connection uses which version, so a plugin in use is never unloaded.
 *
 * <p>Lifecycle: {@link #load} once; optionally {@link #watch} the directory so jars dropped there
 * later are loaded into the running host; {@link #close} stops watching and unloads the plugins
 * (after every connector has stopped). Thread-safe.
 */
public final class ConnectorRegistry implements ConnectorCatalog, AutoCloseable {
  public static final String BUILT_IN = "built-in";
  private static final Logger LOG = LoggerFactory.getLogger(ConnectorRegistry.class);

  private final Path dir;
  private final WeirPluginManager builtIns;

  /** id → version → connector. */
  private final Map<String, TreeMap<String, LoadedConnector>> connectors = new TreeMap<>();

  private final Map<Path, PluginJar> jars = new LinkedHashMap<>();

  /** Jar path → size and mtime when last tried, so the watcher tries each file (version) once. */
  private final Map<Path, String> seen = new LinkedHashMap<>();

  /** Connection id → the connector it runs. */
  private final Map<String, LoadedConnector> users = new LinkedHashMap<>();

  private ScheduledExecutorService watcher;

  private ConnectorRegistry(Path dir, WeirPluginManager builtIns) {
    this.dir = dir;
    this.builtIns = builtIns;
  }

  /**
   * Finds the built-in connectors and loads every {@code *.jar} in {@code pluginsDir} (absent is
   * fine).
   *
   * @throws PluginLoadException naming each jar that is refused or broken, and each clash of
   *     connector ids
   */
  public static ConnectorRegistry load(Path pluginsDir) throws PluginLoadException {
    Path dir = pluginsDir.toAbsolutePath().normalize();
    List<String> problems = new ArrayList<>();
    ConnectorRegistry r = new ConnectorRegistry(dir, new WeirPluginManager(dir));
    List<LoadedConnector> builtIn = new ArrayList<>();
    PluginJar.discover(
        r.builtIns, null, null, SourceConnector.class, ConnectorKind.SOURCE, builtIn, problems);
    PluginJar.discover(
        r.builtIns,
        null,
        null,
        StreamingDestination.class,
        ConnectorKind.STREAMING_DESTINATION,
        builtIn,
        problems);
    PluginJar.discover(
        r.builtIns,
        null,
        null,
        BatchDestination.class,
        ConnectorKind.BATCH_DESTINATION,
        builtIn,
        problems);
    for (LoadedConnector c : builtIn) {
      r.add(c, problems);
    }
    for (Path jar : jars(dir, true)) {
      r.loadJar(jar, problems);
    }
    if (!problems.isEmpty()) {
      r.close();
      throw new PluginLoadException(problems);
    }
    LOG.debug("Connectors: {}", r.connectors.keySet());
    return r;
  }

  /**
   * Validates {@code file} as a plugin jar (or a {@code .zip} holding exactly one) and copies the
   * jar into {@code pluginsDir} (write to a hidden temp file, fsync, atomic rename), where a
   * running host's watcher picks it up. An existing file of the same name is not replaced.
   *
   * @return the installed path
   * @throws PluginLoadException naming the file and each problem; nothing was copied
   */
  public static Path install(Path file, Path pluginsDir) throws PluginLoadException {
    Path src = file.toAbsolutePath().normalize();
    if (Files.isRegularFile(src) && src.getFileName().toString().endsWith(".zip")) {
      Path jar = PluginZip.extractJar(src);
      try {
        return install(jar, pluginsDir);
      } finally {
        PluginZip.delete(jar);
      }
    }
    if (!Files.isRegularFile(src) || !src.getFileName().toString().endsWith(".jar")) {
      throw new PluginLoadException(
          List.of("plugin " + src + " is not a .jar file (or a .zip holding one)"));
    }
    List<String> problems = PluginJarCheck.problems(src);
    if (!problems.isEmpty()) {
      throw new PluginLoadException(problems);
    }
    Path target = pluginsDir.toAbsolutePath().normalize().resolve(src.getFileName().toString());
    if (Files.exists(target)) {
      throw new PluginLoadException(
          List.of(
              "plugin "
                  + target
                  + " already exists: install a new version under a "
                  + "new file name (e.g. with the version in it), so the old one keeps running beside it"));
    }
    try {
      Files.createDirectories(target.getParent());
      Path tmp = target.resolveSibling("." + target.getFileName() + ".part");
      Files.copy(src, tmp, StandardCopyOption.REPLACE_EXISTING);
      try (var ch =
          java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new PluginLoadException(
          List.of("plugin " + src + " cannot be copied to " + target + ": " + e));
    }
    return target;
  }

  private static List<Path> jars(Path dir, boolean warn) throws PluginLoadException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> all = s.sorted().toList();
      for (Path p : all) {
        String name = p.getFileName().toString();
        if (warn && !name.endsWith(".jar") && !name.startsWith(".")) {
          LOG.warn("Ignoring {} in the plugins directory: plugins are .jar files", p);
        }
      }
      return all.stream().filter(p -> p.getFileName().toString().endsWith(".jar")).toList();
    } catch (IOException e) {
      throw new PluginLoadException(
          List.of("plugins directory " + dir + " cannot be listed: " + e.getMessage()));
    }
  }

  private synchronized void loadJar(Path jar, List<String> problems) {
    seen.put(jar, signature(jar));
    int before = problems.size();
    PluginJar pj = PluginJar.load(jar, problems);
    if (pj == null) {
      return;
    }
    for (LoadedConnector c : pj.connectors) {
      LoadedConnector prev = find(c.id(), c.version());
      Map<String, LoadedConnector> versions = connectors.get(c.id());
      boolean builtInClash =
          versions != null && versions.values().stream().anyMatch(v -> v.origin().equals(BUILT_IN));
      if (prev != null || builtInClash) {
        problems.add(
            "connector id '"
                + c.id()
                + "' is provided twice: by "
                + (prev != null ? prev.origin() : BUILT_IN)
                + " and by "
                + c.origin());
      }
    }
    if (problems.size() > before) {
      pj.unload();
      return;
    }
    jars.put(jar, pj);
    pj.connectors.forEach(c -> add(c, problems));
    LOG.info(
        "Plugin {} loaded: {}",
        jar,
        pj.connectors.stream().map(c -> c.id() + "@" + c.version()).toList());
  }

  private synchronized void add(LoadedConnector c, List<String> problems) {
    TreeMap<String, LoadedConnector> versions =
        connectors.computeIfAbsent(c.id(), k -> new TreeMap<>(Versions.ORDER));
    LoadedConnector prev = versions.get(c.version());
    if (prev != null) {
      problems.add(
          "connector id '"
              + c.id()
              + "' is provided twice: by "
              + prev.origin()
              + " and by "
              + c.origin());
      return;
    }
    versions.put(c.version(), c);
  }

  private synchronized LoadedConnector find(String id, String version) {
    TreeMap<String, LoadedConnector> versions = connectors.get(id);
    if (versions == null || versions.isEmpty()) {
      return null;
    }
    return version == null ? versions.lastEntry().getValue() : versions.get(version);
  }

  /**
   * Loads every jar in the plugins directory that is new (or changed since it was last tried) into
   * this registry. A jar that fails (still being copied, refused, clashing) is reported and tried
   * again once it changes.
   *
   * @return the problems of this scan, each naming its jar
   */
  public synchronized List<String> scan() {
    List<String> problems = new ArrayList<>();
    List<Path> all;
    try {
      all = jars(dir, false);
    } catch (PluginLoadException e) {
      return e.problems();
    }
    for (Path jar : all) {
      String sig = signature(jar);
      if (sig.equals(seen.get(jar))) {
        continue;
      }
      if (jars.containsKey(jar)) {
        seen.put(jar, sig);
        problems.add(
            "plugin "
                + jar
                + " changed while loaded: the running host keeps the loaded copy; install a new"
                + " version under a new file name");
        continue;
      }
      loadJar(jar, problems);
    }
    problems.forEach(pr -> LOG.warn("Plugin not loaded: {}", pr));
    return problems;
  }

  /**
   * Polls the plugins directory every {@code interval} on a daemon thread until {@link #close};
   * idempotent.
   */
  public synchronized void watch(Duration interval) {
    if (watcher != null) {
      return;
    }
    watcher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "weir-plugin-watcher");
              t.setDaemon(true);
              return t;
            });
    watcher.scheduleWithFixedDelay(
        () -> {
          try {
            scan();
          } catch (RuntimeException e) {
            LOG.warn("Plugin directory scan failed: {}", e.toString());
          }
        },
        interval.toMillis(),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private static String signature(Path jar) {
    try {
      return Files.size(jar) + "/" + Files.getLastModifiedTime(jar).toMillis();
    } catch (IOException e) {
      return "unreadable";
    }
  }

  /** Every connector, every version, sorted by id then version. */
  public synchronized List<LoadedConnector> connectors() {
    List<LoadedConnector> out = new ArrayList<>();
    connectors.values().forEach(v -> out.addAll(v.values()));
    return out;
  }

  /** The highest installed version of connector {@code id}. */
  public Optional<LoadedConnector> info(String id) {
    return Optional.ofNullable(find(id, null));
  }

  /** Connector {@code id} at {@code version} (null: the highest installed). */
  public Optional<LoadedConnector> info(String id, String version) {
    return Optional.ofNullable(find(id, version));
  }

  /** {@code type} is a connector id, or {@code id@version} for a pinned version. */
  @Override
  public Optional<Entry> find(String type) {
    int at = type.indexOf('@');
    LoadedConnector c =
        at < 0 ? find(type, null) : find(type.substring(0, at), type.substring(at + 1));
    return Optional.ofNullable(c).map(i -> new Entry(i.kind(), i.spec()));
  }

  @Override
  public synchronized Collection<String> ids() {
    return List.copyOf(connectors.keySet());
  }

  /**
   * A new, unstarted instance of the highest version of connector {@code id}, which must be a
   * {@code type}.
   */
  public <T> T create(String id, Class<T> type) {
    return instantiate(require(id, null), type);
  }

  /**
   * A new, unstarted instance of connector {@code id} at {@code version} (null: the highest
   * installed now), recorded as used by {@code connection} until {@link #release}.
   */
  public synchronized <T> T create(String id, String version, String connection, Class<T> type) {
    LoadedConnector c = require(id, version);
    T instance = instantiate(c, type);
    users.put(connection, c);
    return instance;
  }

  /** The connection no longer runs a connector (it stopped). */
  public synchronized void release(String connection) {
    users.remove(connection);
  }

  /**
   * Records {@code connection} as running {@code connector} again (null: none), after an instance
   * {@link #create}d for it was discarded unused.
   */
  public synchronized void restore(String connection, LoadedConnector connector) {
    if (connector == null) {
      users.remove(connection);
    } else {
      users.put(connection, connector);
    }
  }

  /** The connector each connection runs, by connection id. */
  public synchronized Map<String, LoadedConnector> users() {
    return Map.copyOf(users);
  }

  private LoadedConnector require(String id, String version) {
    LoadedConnector c = find(id, version);
    if (c == null) {
      throw new IllegalArgumentException(
          "unknown connector '"
              + id
              + "'"
              + (version == null
                  ? ""
                  : " version " + version + " (installed: " + versions(id) + ")"));
    }
    return c;
  }

  private synchronized Set<String> versions(String id) {
    Map<String, LoadedConnector> v = connectors.get(id);
    return v == null ? Set.of() : new LinkedHashSet<>(v.keySet());
  }

  private <T> T instantiate(LoadedConnector c, Class<T> type) {
    WeirPluginManager m = c.origin().equals(BUILT_IN) ? builtIns : jarOf(c).manager;
    return type.cast(m.getExtensionFactory().create(c.implementation()));
  }

  private synchronized PluginJar jarOf(LoadedConnector c) {
    return jars.values().stream()
        .filter(j -> j.connectors.contains(c))
        .findFirst()
        .orElseThrow(
            () -> new IllegalStateException(c.id() + "@" + c.version() + " is no longer loaded"));
  }

  /**
   * Unloads the plugin jar that provides {@code id@version} (with every connector in it), unless a
   * connection uses one of them. The jar stays in the plugins directory (delete it so the next
   * start does not load it again).
   *
   * @return the connectors that were unloaded
   * @throws PluginInUseException naming every connection that uses the plugin; nothing was unloaded
   * @throws IllegalArgumentException when no such plugin connector is loaded (built-ins cannot be
   *     unloaded)
   */
  public synchronized List<LoadedConnector> unload(String id, String version)
      throws PluginInUseException {
    LoadedConnector c = find(id, version);
    if (c == null) {
      throw new IllegalArgumentException(
          "no connector "
              + id
              + "@"
              + version
              + " is loaded (installed versions: "
              + versions(id)
              + ")");
    }
    if (c.origin().equals(BUILT_IN)) {
      throw new IllegalArgumentException(
          "connector " + id + "@" + c.version() + " is built in and cannot be unloaded");
    }
    PluginJar jar = jarOf(c);
    Set<String> using = new TreeSet<>();
    users.forEach(
        (conn, info) -> {
          if (jar.connectors.contains(info)) {
            using.add(conn);
          }
        });
    if (!using.isEmpty()) {
      throw new PluginInUseException(id + "@" + c.version(), jar.path, List.copyOf(using));
    }
    jars.remove(jar.path);
    for (LoadedConnector gone : jar.connectors) {
      Map<String, LoadedConnector> v = connectors.get(gone.id());
      v.remove(gone.version());
      if (v.isEmpty()) {
        connectors.remove(gone.id());
      }
    }
    jar.unload();
    LOG.info("Plugin {} unloaded", jar.path);
    return jar.connectors;
  }

  @Override
  public void close() {
    List<PluginJar> all;
    synchronized (this) {
      if (watcher != null) {
        watcher.shutdownNow();
      }
      all = new ArrayList<>(jars.values());
      jars.clear();
    }
    all.forEach(PluginJar::unload);
  }

  /**
   * Orders versions by dot/dash separated parts, numbers numerically ({@code 1.10.0 > 1.9.0 >
   * 1.9.0-rc1}).
   */
  static final class Versions {
    static final Comparator<String> ORDER = Versions::compare;

    private Versions() {}

    static int compare(String a, String b) {
      String[] x = a.split("[.\\-+]");
      String[] y = b.split("[.\\-+]");
      for (int i = 0; i < Math.min(x.length, y.length); i++) {
        int c =
            x[i].matches("\\d{1,9}") && y[i].matches("\\d{1,9}")
                ? Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]))
                : x[i].compareTo(y[i]);
        if (c != 0) {
          return c;
        }
      }
      if (x.length == y.length) {
        return 0;
      }
      // 1.0.0.1 > 1.0.0, but a pre-release 1.0.0-SNAPSHOT < 1.0.0.
      String[] longer = x.length > y.length ? x : y;
      boolean higher = longer[Math.min(x.length, y.length)].matches("\\d+");
      return (x.length > y.length) == higher ? 1 : -1;
    }
  }
}
