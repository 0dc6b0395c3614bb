package dev.weir.connectors.http;

import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    Javalin server =
        Javalin.create(
            cfg -> {
              cfg.showJavalinBanner = false;
              cfg.http.maxRequestSize = config.maxBodyBytes();
              cfg.jetty.addConnector(
                  (jetty, http) -> {
                    ServerConnector c = new ServerConnector(jetty, new HttpConnectionFactory(http));
                    c.setHost(config.host());
                    c.setPort(config.port());
                    c.setIdleTimeout(config.idleTimeoutMs());
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
                      secure = c;
                      return c;
                    });
              }
            });
    for (IngestApi api : HttpSource.apis()) {
      api.register(server, this);
    }
    server.get("/health", ctx -> ctx.result("ok"));
    server.exception(
        Exception.class,
        (e, ctx) -> {
          if (e instanceof HttpResponseException h) {
            // Javalin's own answers, such as 413 for a body over max_body_bytes.
            Reply.error(ctx, h.getStatus(), h.getMessage());
            return;
          }
          LOG.warn("Request {} {} failed: {}", ctx.method(), ctx.path(), e.toString());
          Reply.error(ctx, 500, "internal error");
        });
    server.start();
    app = server;
    LOG.info(
        "HTTP ingest listening on http://{}:{}{}",
        config.host(),
        port(),
        config.tls() ? " and https://" + config.host() + ":" + tlsPort() : "");
  }

  void stop() {
    Javalin a = app;
    if (a != null) {
      a.stop();
      app = null;
    }
  }
}
