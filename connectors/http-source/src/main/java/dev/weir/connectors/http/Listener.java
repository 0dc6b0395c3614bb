package dev.weir.connectors.http;

import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP server (Javalin on Jetty; plain HTTP plus HTTPS when a keystore is named) serving every
 * {@link IngestApi} for the sources registered on it. A request's key selects the source.
 * Thread-safe; started by {@link Listeners}.
 */
final class Listener {
  private static final Logger LOG = LoggerFactory.getLogger(Listener.class);
  private final ListenerConfig config;
  private final Map<String, Ingest> byKeyDigest = new ConcurrentHashMap<>();
  private final Map<Ingest, List<String>> members = new LinkedHashMap<>();
  private volatile Javalin app;
  private volatile ServerConnector plain;
  private volatile ServerConnector secure;
  private volatile SlowClients slowClients;
  private volatile ScheduledExecutorService timer;

  Listener(ListenerConfig config) {
    this.config = config;
  }

  ListenerConfig config() {
    return config;
  }

  /** The source whose key this is, or null for a missing or unknown key. */
  Ingest ingestFor(String key) {
    return key == null || key.isEmpty() ? null : byKeyDigest.get(WriteKeys.digest(key));
  }

  synchronized List<String> sourceIds() {
    return members.keySet().stream().map(Ingest::sourceId).toList();
  }

  synchronized void add(Ingest ingest, List<String> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("source '" + ingest.sourceId() + "' lists no write_keys");
    }
    List<String> digests = new ArrayList<>();
    for (String k : keys) {
      String d = WriteKeys.digest(k);
      Ingest owner = byKeyDigest.get(d);
      if (owner != null || digests.contains(d)) {
        // Never name the key itself: it is a secret.
        throw new IllegalStateException(
            "source '"
                + ingest.sourceId()
                + "': a write key is also listed by source '"
                + (owner == null ? ingest.sourceId() : owner.sourceId())
                + "' on "
                + config
                + "; each key must select exactly one source");
      }
      digests.add(d);
    }
    for (String d : digests) {
      byKeyDigest.put(d, ingest);
    }
    members.put(ingest, digests);
  }

  /** Removes a source's keys; true when no source is left. */
  synchronized boolean remove(Ingest ingest) {
    List<String> digests = members.remove(ingest);
    if (digests != null) {
      digests.forEach(byKeyDigest::remove);
    }
    return members.isEmpty();
  }

  int port() {
    ServerConnector c = plain;
    return c == null ? -1 : c.getLocalPort();
  }

  int tlsPort() {
    ServerConnector c = secure;
    return c == null ? -1 : c.getLocalPort();
  }

  void start() {
    ScheduledExecutorService timers =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "weir-http-timers-" + config.port());
              t.setDaemon(true);
              return t;
            });
    timer = timers;
    SlowClients slow =
        new SlowClients(
            config.headerTimeoutMs(),
            config.slowRequestMs(),
            config.maxSlowConnectionsPerClient(),
            timers);
    ErrorAnswers errors = new ErrorAnswers();
    Javalin server =
        Javalin.create(
            cfg -> {
              cfg.showJavalinBanner = false;
              cfg.http.maxRequestSize = config.maxBodyBytes();
              cfg.jetty.modifyServer(jetty -> jetty.setErrorHandler(errors));
              cfg.jetty.modifyServletContextHandler(h -> h.setErrorHandler(errors));
              cfg.jetty.addConnector(
                  (jetty, http) -> {
                    ServerConnector c = new ServerConnector(jetty, new HttpConnectionFactory(http));
                    c.setHost(config.host());
                    c.setPort(config.port());
                    c.setIdleTimeout(config.idleTimeoutMs());
                    c.addBean(slow);
                    plain = c;
                    return c;
                  });
              if (config.tls()) {
                cfg.jetty.addConnector(
                    (jetty, http) -> {
                      SslContextFactory.Server ssl = new SslContextFactory.Server();
                      ssl.setKeyStorePath(config.keystore());
                      ssl.setKeyStorePassword(config.keystorePassword());
                      ssl.setKeyStoreType(config.keystoreType());
                      HttpConfiguration https = new HttpConfiguration(http);
                      https.addCustomizer(new SecureRequestCustomizer(false));
                      ServerConnector c =
                          new ServerConnector(
                              jetty,
                              new SslConnectionFactory(ssl, "http/1.1"),
                              new HttpConnectionFactory(https));
                      c.setHost(config.host());
                      c.setPort(config.tlsPort());
                      c.setIdleTimeout(config.idleTimeoutMs());
                      c.addBean(slow);
                      secure = c;
                      return c;
                    });
              }
            });
    for (IngestApi api : HttpSource.apis()) {
      api.register(server, this);
    }
    server.get("/health", ctx -> ctx.result("ok"));
    for (int status : new int[] {404, 405}) {
      server.error(
          status, "*", ctx -> Reply.errorFor(ctx, status, ErrorAnswers.message(status, null)));
    }
    server.exception(
        Exception.class,
        (e, ctx) -> {
          if (e instanceof HttpResponseException h) {
            // Javalin's own answers, such as 413 for a body over max_body_bytes.
            Reply.errorFor(ctx, h.getStatus(), ErrorAnswers.message(h.getStatus(), h.getMessage()));
            return;
          }
          // A 500 from an ingest endpoint is always a bug: log it whole, tell the client little.
          LOG.warn("Request {} {} failed", ctx.method(), ctx.path(), e);
          Reply.errorFor(ctx, 500, "internal error");
        });
    server.start();
    slowClients = slow;
    app = server;
    LOG.info(
        "HTTP ingest listening on http://{}:{}{}",
        config.host(),
        port(),
        config.tls() ? " and https://" + config.host() + ":" + tlsPort() : "");
  }

  /** The timer for body deadlines and connection sweeps; one daemon thread. */
  ScheduledExecutorService timer() {
    return timer;
  }

  /** Server threads busy now (running a handler or blocked in one), for tests. */
  int busyThreads() {
    Javalin a = app;
    return a == null
        ? 0
        : ((org.eclipse.jetty.util.thread.QueuedThreadPool)
                a.jettyServer().server().getThreadPool())
            .getBusyThreads();
  }

  /** The slow-client guard, for tests. */
  SlowClients slowClients() {
    return slowClients;
  }

  void stop() {
    Javalin a = app;
    if (a != null) {
      a.stop();
      app = null;
    }
    SlowClients s = slowClients;
    if (s != null) {
      s.close();
    }
    ScheduledExecutorService t = timer;
    if (t != null) {
      t.shutdownNow();
    }
  }
}
