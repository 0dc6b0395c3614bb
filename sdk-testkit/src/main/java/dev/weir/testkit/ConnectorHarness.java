package dev.weir.testkit;

import dev.weir.sdk.SourceConnector;
import dev.weir.sdk.StreamingDestination;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Map;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;

/**
 * Runs connectors for one test the way the host does: settings validated against the connector's
 * schema, a real {@link TestContext}, {@code start} called once, and {@code stop} called once when
 * the test ends (or earlier via {@link #stop}). Also owns a temp directory and a lazily started
 * {@link MockWebServer}. Obtain one through {@link WeirConnectorTest}; not thread-safe (call from
 * the test thread).
 */
public final class ConnectorHarness implements AutoCloseable {
  private final Deque<Runnable> stops = new ArrayDeque<>();
  private final Map<Object, Runnable> running = new java.util.IdentityHashMap<>();
  private Path tempDir;
  private MockWebServer server;
  private int started;

  ConnectorHarness() {}

  /** A directory for this test, deleted afterwards. */
  public Path tempDir() {
    if (tempDir == null) {
      try {
        tempDir = Files.createTempDirectory("weir-testkit");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return tempDir;
  }

  /** A started MockWebServer for this test, closed afterwards. */
  public MockWebServer server() {
    if (server == null) {
      server = new MockWebServer();
      try {
        server.start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return server;
  }

  /**
   * Validates {@code settings}, starts the destination with a fresh context (and its own fresh
   * state directory) and returns that context.
   */
  public TestContext start(StreamingDestination destination, Map<String, ?> settings)
      throws Exception {
    return start(
        destination,
        TestContext.builder(destination.spec())
            .settings(settings)
            .stateDir(tempDir().resolve("state-" + started++)));
  }

  /**
   * Starts the destination with a context built from {@code context} (for a chosen id or state
   * directory).
   */
  public TestContext start(StreamingDestination destination, TestContext.Builder context)
      throws Exception {
    TestContext ctx = context.build();
    destination.start(ctx);
    register(
        destination,
        () -> {
          try {
            destination.stop();
          } catch (Exception e) {
            throw new IllegalStateException("stop of " + destination.spec() + " failed", e);
          }
        });
    return ctx;
  }

  /**
   * Validates {@code settings}, starts the source with an in-memory store and returns its context.
   */
  public TestSourceContext start(SourceConnector source, Map<String, ?> settings) throws Exception {
    return start(
        source,
        TestContext.builder(source.spec())
            .settings(settings)
            .stateDir(tempDir().resolve("state-" + started++)));
  }

  /**
   * Starts the source with a context built from {@code context}; reuse a state dir to simulate a
   * restart.
   */
  public TestSourceContext start(SourceConnector source, TestContext.Builder context)
      throws Exception {
    TestSourceContext ctx = context.buildSource();
    source.start(ctx);
    register(
        source,
        () -> {
          try {
            source.stop();
          } catch (Exception e) {
            throw new IllegalStateException("stop of " + source.spec() + " failed", e);
          }
        });
    return ctx;
  }

  /**
   * Stops a connector this harness started, now, once; it is not stopped again at the end of the
   * test.
   */
  public void stop(Object connector) {
    Runnable stop = running.remove(connector);
    if (stop == null) {
      throw new IllegalStateException(connector + " is not running in this harness");
    }
    stops.remove(stop);
    stop.run();
  }

  private void register(Object connector, Runnable stop) {
    running.put(connector, stop);
    stops.push(stop);
  }

  /** Stops running connectors (last started first), closes the server and deletes the temp dir. */
  @Override
  public void close() throws IOException {
    RuntimeException failure = null;
    while (!stops.isEmpty()) {
      try {
        stops.pop().run();
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
    }
    running.clear();
    if (server != null) {
      server.close();
    }
    if (tempDir != null) {
      try (Stream<Path> files = Files.walk(tempDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
