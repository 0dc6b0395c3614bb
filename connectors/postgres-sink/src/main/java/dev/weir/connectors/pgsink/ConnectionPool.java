package dev.weir.connectors.pgsink;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A fixed-size pool of JDBC connections opened lazily through the PostgreSQL driver directly (so it
 * works in a plugin class loader). A borrower that saw a connection failure hands it back broken
 * and it is discarded. Thread-safe.
 */
final class ConnectionPool implements AutoCloseable {
  private final String url;
  private final Properties credentials;
  private final Semaphore permits;
  private final BlockingQueue<Connection> idle;
  private volatile boolean closed;

  ConnectionPool(String url, String user, String password, int size) {
    this.url = url;
    this.credentials = new Properties();
    credentials.setProperty("user", user);
    credentials.setProperty("password", password);
    credentials.setProperty("connectTimeout", "10");
    this.permits = new Semaphore(size, true);
    this.idle = new ArrayBlockingQueue<>(size);
  }

  /** A connection for the caller alone; give it back with {@link #release}. */
  Connection borrow() throws SQLException, InterruptedException {
    if (closed) {
      throw new SQLException("pool is closed", "08003");
    }
    if (!permits.tryAcquire(60, TimeUnit.SECONDS)) {
      throw new SQLException("no database connection free within 60 s", "08001");
    }
    Connection c = idle.poll();
    if (c != null && !c.isClosed()) {
      return c;
    }
    try {
      c = new org.postgresql.Driver().connect(url, credentials);
      if (c == null) {
        throw new SQLException("not a PostgreSQL JDBC URL", "08001");
      }
      return c;
    } catch (SQLException | RuntimeException e) {
      permits.release();
      throw e;
    }
  }

  void release(Connection c, boolean broken) {
    try {
      if (broken || closed || !idle.offer(c)) {
        quietlyClose(c);
      }
    } finally {
      permits.release();
    }
  }

  @Override
  public void close() {
    closed = true;
    Connection c;
    while ((c = idle.poll()) != null) {
      quietlyClose(c);
    }
  }

  private static void quietlyClose(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // discarded anyway
    }
  }
}
