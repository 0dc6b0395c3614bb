package dev.weir.admin;

import dev.weir.sdk.Ids;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.router.Endpoint;
import io.javalin.router.ParsedEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
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
 * <p>Every route requires {@code Authorization: Bearer <admin token>} (401 without), checked by
 * {@link AdminAuth} on the route the router matched; the health probes, {@code /}, the console's
 * static files (which hold no data) and, when {@link AdminOptions#publicMetrics()}, {@code
 * /metrics} do not.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

  /** The MDC key (and response header {@code X-Request-Id}) carrying the request id. */
  public static final String REQUEST_ID = "request_id";

  private final Javalin app;
  private final Routes routes;
  private final AdminAuth auth;
  private final TapStream tap;
  private final RateHistory rates;
  private final String openApi;

  private AdminServer(AdminBackend backend, AdminOptions options, long rateIntervalMillis) {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(options, "options");
    this.openApi = resource("/dev/weir/admin/openapi.json");
    this.auth = new AdminAuth(options.tokens());
    this.app =
        Javalin.create(
            cfg -> {
              cfg.showJavalinBanner = false;
              cfg.staticFiles.add(
                  s -> {
                    s.hostedPath = "/console";
                    s.directory = "/weir-console";
                    s.location = Location.CLASSPATH;
                    // The console's static shell holds no data; its API calls carry the token.
                    s.roles = Set.of(AdminAuth.Access.PUBLIC);
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
        });
    app.beforeMatched(auth::check);
    app.beforeMatched(AdminServer::checkIds);
    app.after(
        ctx -> {
          // Secrets nowhere: every answer (JSON, errors, metrics) leaves through the one redactor.
          String body = ctx.result();
          if (body != null) {
            String clean = backend.redactor().redact(body);
            if (!clean.equals(body)) {
              ctx.result(clean);
            }
          }
          MDC.remove(REQUEST_ID);
        });
    app.exception(AdminAuth.Unauthorised.class, (e, ctx) -> unauthorised(ctx));
    app.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
    app.exception(NoSuchElementException.class, (e, ctx) -> error(ctx, 404, e.getMessage()));
    app.exception(StoreApi.Unavailable.class, (e, ctx) -> error(ctx, 503, e.getMessage()));
    app.exception(
        AdminBackend.InUseException.class,
        (e, ctx) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("code", 409);
          m.put("error", e.getMessage());
          m.put("connections", e.connections());
          m.put("request_id", MDC.get(REQUEST_ID));
          HttpJson.send(ctx, 409, m);
        });
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
          if (!auth.authorised(ctx) && !ctx.routeRoles().contains(AdminAuth.Access.PUBLIC)) {
            unauthorised(ctx); // unknown paths reveal nothing to a caller without a token
          } else if (ctx.path().startsWith("/api/") && ctx.result() == null) {
            error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
          }
        });

    routes.publicGet("/health/live", ctx -> HttpJson.ok(ctx, Map.of("status", "up")));
    routes.publicGet(
        "/health/ready",
        ctx -> {
          Readiness r = backend.readiness();
          HttpJson.send(
              ctx,
              r.ready() ? 200 : 503,
              Map.of("status", r.ready() ? "ready" : "not_ready", "reasons", r.reasons()));
        });
    Handler metrics =
        ctx ->
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(backend.meterRegistry().scrape());
    if (options.publicMetrics()) {
      routes.publicGet("/metrics", metrics);
    } else {
      routes.get("/metrics", metrics);
    }
    app.get("/", ctx -> ctx.redirect("/console/"), AdminAuth.Access.PUBLIC);

    routes.get("/api/v1/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
    this.rates = new RateHistory(backend, rateIntervalMillis);
    StoreMeters.bind(backend, backend.meterRegistry());
    routes.get("/api/v1/overview", ctx -> overview(ctx, backend));
    new ConnectorsApi(backend).register(routes);
    new FlowApi(backend).register(routes);
    new GovernanceApi(backend).register(routes);
    new StoreApi(backend).register(routes);
    new WorkspaceApi(backend).register(routes);
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
        auth.tokenCount());
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

  /** A route as Javalin's router serves it, and whether it needs no token. */
  record Served(String method, String path, boolean isPublic) {}

  /** Every HTTP route of Javalin's router (not filters), as it will be matched. */
  List<Served> servedRoutes() {
    List<Served> out = new ArrayList<>();
    for (ParsedEndpoint e : app.unsafeConfig().pvt.internalRouter.allHttpHandlers()) {
      Endpoint ep = e.getEndpoint();
      if (ep.getMethod().isHttpMethod()) {
        out.add(
            new Served(
                ep.getMethod().name(),
                ep.getPath(),
                ep.getRoles().contains(AdminAuth.Access.PUBLIC)));
      }
    }
    return out;
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
    HttpJson.ok(ctx, m);
  }

  /**
   * Ids in a URL are names, never paths: every path parameter (a source, destination, connector,
   * definition or job id) must match {@link Ids#PATTERN}, else 400 before any handler runs. A user
   * id ({@code {userId}}) is data, not a name, and is never mapped to a file.
   */
  private static void checkIds(Context ctx) {
    ctx.pathParamMap()
        .forEach(
            (name, value) -> {
              if (!name.equals("userId")) {
                Ids.require(name.equals("id") ? "id" : name + " id", value);
              }
            });
  }

  private static void unauthorised(Context ctx) {
    ctx.header("WWW-Authenticate", "Bearer realm=\"weir-admin\"");
    error(ctx, 401, "an admin token is required (Authorization: Bearer <token>)");
  }

  private static void error(Context ctx, int status, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("code", status);
    m.put("error", message == null ? "error" : message);
    m.put("request_id", MDC.get(REQUEST_ID));
    HttpJson.send(ctx, status, m);
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
}
