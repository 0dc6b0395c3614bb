package dev.weir.admin;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.UUID;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The admin server: the {@code /api/v1} JSON API, {@code /metrics}, {@code /health/live}, {@code
 * /health/ready} and the web console at {@code /console}. Start with {@link #start}; {@link
 * #close()} stops it. Thread-safe: requests are served on Jetty's threads and reach Weir only
 * through the {@link AdminBackend}.
 *
 * <p>Every {@code /api/} route and {@code /metrics} require {@code Authorization: Bearer <admin
 * token>} (401 without); the health probes and the console's static files (which hold no data) do
 * not.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

  /** The MDC key (and response header {@code X-Request-Id}) carrying the request id. */
  public static final String REQUEST_ID = "request_id";

  private final Javalin app;
  private final Routes routes;
  private final TapStream tap;
  private final RateHistory rates;
  private final String openApi;

  private AdminServer(AdminBackend backend, AdminOptions options, long rateIntervalMillis) {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(options, "options");
    this.openApi = resource("/dev/weir/admin/openapi.json");
    List<byte[]> tokens =
        options.tokens().stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    this.app =
        Javalin.create(
            cfg -> {
              cfg.showJavalinBanner = false;
              cfg.staticFiles.add(
                  s -> {
                    s.hostedPath = "/console";
                    s.directory = "/weir-console";
                    s.location = Location.CLASSPATH;
                  });
              if (options.keystore() != null) {
                cfg.jetty.addConnector(
                    (server, http) -> {
                      SslContextFactory.Server ssl = new SslContextFactory.Server();
                      ssl.setKeyStorePath(options.keystore().toString());
                      ssl.setKeyStorePassword(options.keystorePassword());
                      http.addCustomizer(new SecureRequestCustomizer(false));
                      ServerConnector c =
                          new ServerConnector(
                              server,
                              new SslConnectionFactory(ssl, "http/1.1"),
                              new HttpConnectionFactory(http));
                      c.setHost(options.host());
                      c.setPort(options.port());
                      return c;
                    });
              }
            });
    this.routes = new Routes(app);
    app.before(
        ctx -> {
          String id = ctx.header("X-Request-Id");
          if (id == null || id.isBlank() || id.length() > 128) {
            id = UUID.randomUUID().toString();
          }
          MDC.put(REQUEST_ID, id);
          ctx.header("X-Request-Id", id);
          if ((ctx.path().startsWith("/api/") || ctx.path().equals("/metrics"))
              && !authorised(ctx, tokens)) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"weir-admin\"");
            throw new Unauthorised();
          }
        });
    app.after(ctx -> MDC.remove(REQUEST_ID));
    app.exception(
        Unauthorised.class,
        (e, ctx) ->
            error(ctx, 401, "an admin token is required (Authorization: " + "Bearer <token>)"));
    app.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
    app.exception(NoSuchElementException.class, (e, ctx) -> error(ctx, 404, e.getMessage()));
    app.exception(StoreApi.Unavailable.class, (e, ctx) -> error(ctx, 503, e.getMessage()));
    app.exception(UnsupportedOperationException.class, (e, ctx) -> error(ctx, 501, e.getMessage()));
    app.exception(
        HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), e.getMessage()));
    app.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.warn("admin request {} {} failed", ctx.method(), ctx.path(), e);
          error(ctx, 500, "internal error (request id " + MDC.get(REQUEST_ID) + ")");
        });
    app.error(
        404,
        ctx -> {
          if (ctx.path().startsWith("/api/") && ctx.result() == null) {
            error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
          }
        });

    app.get("/health/live", ctx -> Json.ok(ctx, Map.of("status", "up")));
    app.get(
        "/health/ready",
        ctx -> {
          Readiness r = backend.readiness();
          Json.send(
              ctx,
              r.ready() ? 200 : 503,
              Map.of("status", r.ready() ? "ready" : "not_ready", "reasons", r.reasons()));
        });
    app.get(
        "/metrics",
        ctx ->
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(backend.meterRegistry().scrape()));
    app.get("/", ctx -> ctx.redirect("/console/"));

    routes.get("/api/v1/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
    this.rates = new RateHistory(backend, rateIntervalMillis);
    StoreMeters.bind(backend, backend.meterRegistry());
    routes.get("/api/v1/overview", ctx -> overview(ctx, backend));
    new ConnectorsApi(backend).register(routes);
    new FlowApi(backend).register(routes);
    new GovernanceApi(backend).register(routes);
    new StoreApi(backend).register(routes);
    this.tap = new TapStream(backend);
    tap.register(routes);

    if (options.keystore() != null) {
      app.start();
    } else {
      app.start(options.host(), options.port());
    }
    LOG.info(
        "admin server listening on {}://{}:{} ({} admin token(s))",
        options.keystore() != null ? "https" : "http",
        options.host(),
        port(),
        tokens.size());
  }

  /** Starts the admin server; returns once it listens. */
  public static AdminServer start(AdminBackend backend, AdminOptions options) {
    return new AdminServer(backend, options, 10_000L);
  }

  /**
   * As {@link #start(AdminBackend, AdminOptions)}, sampling the overview rates every {@code
   * rateMillis}.
   */
  static AdminServer start(AdminBackend backend, AdminOptions options, long rateMillis) {
    return new AdminServer(backend, options, rateMillis);
  }

  /** The port it listens on (useful with port 0). */
  public int port() {
    for (org.eclipse.jetty.server.Connector c : app.jettyServer().server().getConnectors()) {
      if (c instanceof ServerConnector sc && sc.getLocalPort() > 0) {
        return sc.getLocalPort();
      }
    }
    return app.port();
  }

  List<Routes.Route> routes() {
    return routes.all();
  }

  /** Stops serving: open debugger streams end, in-flight requests finish. Idempotent. */
  @Override
  public void close() {
    tap.stop();
    rates.stop();
    app.stop();
  }

  private void overview(Context ctx, AdminBackend backend) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rates", rates.toMap());
    backend
        .store()
        .ifPresent(
            s -> {
              var st = s.stats();
              m.put(
                  "store",
                  Map.of(
                      "partitions",
                      st.partitions(),
                      "blocks_in_memory",
                      st.blocksInMemory(),
                      "chunks",
                      st.chunks(),
                      "current_batch",
                      st.currentBatch(),
                      "stored",
                      st.stored(),
                      "duplicates",
                      st.duplicates(),
                      "problems",
                      s.problems()));
            });
    backend.violations().ifPresent(v -> m.put("violations_held", v.size()));
    Readiness r = backend.readiness();
    m.put("ready", r.ready());
    m.put("not_ready_reasons", r.reasons());
    m.put("sources", backend.sources().size());
    m.put("destinations", backend.destinations().size());
    Json.ok(ctx, m);
  }

  private static boolean authorised(Context ctx, List<byte[]> tokens) {
    String h = ctx.header("Authorization");
    if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = h.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    boolean ok = false;
    for (byte[] t : tokens) {
      ok |= MessageDigest.isEqual(t, given);
    }
    return ok;
  }

  private static void error(Context ctx, int status, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("code", status);
    m.put("error", message == null ? "error" : message);
    m.put("request_id", MDC.get(REQUEST_ID));
    Json.send(ctx, status, m);
  }

  private static String resource(String name) {
    try (InputStream in = AdminServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final class Unauthorised extends RuntimeException {
    Unauthorised() {
      super(null, null, false, false);
    }
  }
}
