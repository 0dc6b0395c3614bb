package dev.weir.connectors.http;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.HttpChannel;
import org.eclipse.jetty.server.HttpConnection;
import org.eclipse.jetty.server.Request;

/**
 * Bounds every connection of a listener in time, whatever the endpoint: a request whose line and
 * headers are not complete within {@code header_timeout_ms} of its first byte (or of the connection
 * opening) has its connection closed; and a client address may hold at most {@code
 * max_slow_connections_per_client} slow connections (receiving one request for longer than {@code
 * slow_request_ms}): while it has that many, its new connections are closed at once, and any slow
 * ones beyond the bound (newest first) are closed. Bodies are bounded by {@link Bodies}' body
 * timeout. An idle keep-alive connection (no bytes since its last answer) is neither slow nor timed
 * here; the idle timeout closes it.
 *
 * <p>Registered as a bean on each connector (it is a Jetty connection and channel listener); the
 * listener's timer thread sweeps the open connections. Thread-safe.
 */
final class SlowClients implements Connection.Listener, HttpChannel.Listener, AutoCloseable {
  private final long headerTimeoutNanos;
  private final long slowAfterNanos;
  private final int maxSlowPerClient;
  private final Map<Connection, State> open = new ConcurrentHashMap<>();
  private final Map<String, Set<State>> byClient = new ConcurrentHashMap<>();
  private final ScheduledFuture<?> sweeps;
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong closedSlow = new AtomicLong();
  private final AtomicLong headerTimeouts = new AtomicLong();

  /** One connection's progress through its current request. */
  private static final class State {
    final HttpConnection connection;
    final String client;
    volatile boolean first = true;
    volatile boolean receiving = true;
    volatile boolean headersDone;
    volatile long bytesMark;
    volatile long since;

    State(HttpConnection connection, String client, long now) {
      this.connection = connection;
      this.client = client;
      this.since = now;
    }
  }

  /**
   * @param timer runs the sweeps; owned by the caller
   */
  SlowClients(
      long headerTimeoutMs,
      long slowRequestMs,
      int maxSlowPerClient,
      ScheduledExecutorService timer) {
    this.headerTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(headerTimeoutMs);
    this.slowAfterNanos = TimeUnit.MILLISECONDS.toNanos(slowRequestMs);
    this.maxSlowPerClient = maxSlowPerClient;
    long every = Math.max(20, Math.min(500, Math.min(headerTimeoutMs, slowRequestMs) / 4));
    this.sweeps =
        timer.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
  }

  /** Connections closed at accept because their client already held its bound of slow ones. */
  long refused() {
    return refused.get();
  }

  /** Slow connections closed because their client held more than its bound. */
  long closedSlow() {
    return closedSlow.get();
  }

  /** Connections closed because a request's headers did not arrive within the header timeout. */
  long headerTimeouts() {
    return headerTimeouts.get();
  }

  @Override
  public void onOpened(Connection connection) {
    if (!(connection instanceof HttpConnection http)) {
      return;
    }
    long now = System.nanoTime();
    String client = client(http.getEndPoint().getRemoteSocketAddress());
    Set<State> mine = byClient.computeIfAbsent(client, k -> ConcurrentHashMap.newKeySet());
    if (slowCount(mine, now) >= maxSlowPerClient) {
      refused.incrementAndGet();
      http.getEndPoint().close();
      return;
    }
    State s = new State(http, client, now);
    open.put(http, s);
    mine.add(s);
  }

  @Override
  public void onClosed(Connection connection) {
    State s = open.remove(connection);
    if (s != null) {
      Set<State> mine = byClient.get(s.client);
      if (mine != null) {
        mine.remove(s);
        if (mine.isEmpty()) {
          byClient.remove(s.client, mine);
        }
      }
    }
  }

  @Override
  public void onRequestBegin(Request request) {
    State s = open.get(request.getHttpChannel().getConnection());
    if (s != null) {
      s.headersDone = true;
    }
  }

  @Override
  public void onRequestEnd(Request request) {
    State s = open.get(request.getHttpChannel().getConnection());
    if (s != null) {
      s.receiving = false;
    }
  }

  @Override
  public void onComplete(Request request) {
    State s = open.get(request.getHttpChannel().getConnection());
    if (s != null) {
      s.first = false;
      s.headersDone = false;
      s.bytesMark = s.connection.getBytesIn();
      s.since = System.nanoTime();
      s.receiving = true;
    }
  }

  private boolean slow(State s, long now) {
    return s.receiving
        && (s.first || s.connection.getBytesIn() != s.bytesMark)
        && now - s.since > slowAfterNanos;
  }

  private long slowCount(Set<State> states, long now) {
    long n = 0;
    for (State s : states) {
      if (slow(s, now)) {
        n++;
      }
    }
    return n;
  }

  private void sweepQuietly() {
    try {
      sweep();
    } catch (RuntimeException e) {
      // A failed sweep must not stop the next one.
    }
  }

  void sweep() {
    long now = System.nanoTime();
    for (State s : open.values()) {
      if (!s.receiving) {
        continue;
      }
      if (!s.first && s.connection.getBytesIn() == s.bytesMark) {
        s.since = now; // idle between requests: the next request has not started
        continue;
      }
      if (!s.headersDone && now - s.since > headerTimeoutNanos) {
        headerTimeouts.incrementAndGet();
        s.connection.getEndPoint().close();
      }
    }
    for (Set<State> states : byClient.values()) {
      List<State> slow = new ArrayList<>();
      for (State s : states) {
        if (slow(s, now) && s.connection.getEndPoint().isOpen()) {
          slow.add(s);
        }
      }
      if (slow.size() > maxSlowPerClient) {
        slow.sort(Comparator.comparingLong((State s) -> s.since).reversed());
        for (State s : slow.subList(0, slow.size() - maxSlowPerClient)) {
          closedSlow.incrementAndGet();
          s.connection.getEndPoint().close();
        }
      }
    }
  }

  private static String client(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().getHostAddress();
    }
    return String.valueOf(address);
  }

  @Override
  public void close() {
    sweeps.cancel(false);
  }
}
