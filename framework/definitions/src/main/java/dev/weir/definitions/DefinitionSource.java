package dev.weir.definitions;

import dev.weir.runtime.OkHttpConnectorHttp;
import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.Health;
import dev.weir.sdk.SourceConnector;
import dev.weir.sdk.SourceContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A {@code kind: Source} definition running as a polling {@link SourceConnector}: every {@code
 * interval_ms} it fetches pages (cursor, offset, page or next-link pagination) with the
 * definition's auth, selects records, maps each into an event (which must carry an insert id, so
 * re-polls deduplicate), submits them and only after they are durable advances the cursor persisted
 * in the {@code StateStore}. One poll at a time, on its own thread.
 */
final class DefinitionSource extends SourceConnector {
  static final String CURSOR_KEY = "source.cursor";

  private final Definition def;
  private volatile SourceContext context;
  private volatile OkHttpClient http;
  private volatile dev.weir.runtime.Redactor redactor = dev.weir.runtime.Redactor.NONE;
  private volatile ScheduledExecutorService poller;
  private volatile Health health = Health.up();

  /** No poll before this (epoch ms): the endpoint's {@code Retry-After}. */
  private volatile long notBefore;

  private final java.util.function.LongSupplier clock;

  DefinitionSource(Definition def) {
    this(def, System::currentTimeMillis);
  }

  DefinitionSource(Definition def, java.util.function.LongSupplier clock) {
    this.def = def;
    this.clock = clock;
  }

  @Override
  public ConnectorSpec spec() {
    return def.spec();
  }

  @Override
  public void start(SourceContext ctx) {
    init(ctx);
    poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "source-" + ctx.connectionId());
              t.setDaemon(true);
              return t;
            });
    poller.scheduleWithFixedDelay(
        () -> {
          try {
            pollOnce();
            health = Health.up();
          } catch (Exception e) {
            String why = redactor.redact(String.valueOf(e.getMessage()));
            health = Health.degraded("last poll failed: " + why);
            ctx.logger().warn("poll failed: {}", why);
          }
        },
        0,
        def.source.intervalMillis(),
        TimeUnit.MILLISECONDS);
  }

  void init(SourceContext ctx) {
    this.context = ctx;
    Map<String, Object> settings = def.withDefaults(ctx.settings().asMap());
    this.redactor = DefinitionDestination.secrets(def, settings);
    OAuth2Tokens tokens =
        "oauth2".equals(def.authKind())
            ? new OAuth2Tokens(
                def.auth,
                settings,
                ctx.state(),
                OkHttpConnectorHttp.okHttp(ctx),
                clock,
                ctx.logger(),
                redactor)
            : null;
    AuthSigner signer = new AuthSigner(def.auth, settings, tokens, clock);
    this.http =
        OkHttpConnectorHttp.okHttp(ctx)
            .newBuilder()
            .addInterceptor(new AuthInterceptor(signer, Map.of()))
            .build();
  }

  @Override
  public void stop() throws InterruptedException {
    ScheduledExecutorService p = poller;
    if (p != null) {
      p.shutdownNow();
      p.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public Health health() {
    return health;
  }

  /**
   * One poll: every page until the last; returns how many events were submitted. Polls nothing
   * while a {@code Retry-After} the endpoint sent has not passed.
   */
  int pollOnce() throws Exception {
    if (clock.getAsLong() < notBefore) {
      return 0;
    }
    DefinitionModel.Source s = def.source;
    Map<String, Object> settings = def.withDefaults(context.settings().asMap());
    String cursor = context.state().get(CURSOR_KEY).orElse(null);
    // the request templates see the cursor the poll started from: pagination tokens move within the
    // poll, while the
    // persisted cursor advances page by page so that a restart mid-poll resumes after the last
    // durable page
    final String startCursor = cursor;
    String next = null;
    int submitted = 0;
    for (int page = 0; page < s.pagination().maxPages(); page++) {
      Map<String, Object> in = new LinkedHashMap<>();
      in.put("settings", settings);
      in.put("cursor", startCursor);
      in.put("page", page + 1);
      in.put("offset", page * s.pagination().pageSize());
      Object body = fetch(s, in, page, next);
      Object recs = s.records().evaluate(body);
      List<?> records = recs == null ? List.of() : recs instanceof List<?> l ? l : List.of(recs);
      List<Event> events = new ArrayList<>();
      for (Object rec : records) {
        Object mapped = s.event().evaluate(Map.of("record", rec, "settings", settings));
        if (!(mapped instanceof Map<?, ?> m)) {
          continue;
        }
        @SuppressWarnings("unchecked")
        Event e = Event.fromMap((Map<String, ?>) m);
        if (e.insertId() == null) {
          context
              .logger()
              .warn(
                  "record mapped to an event without insert_id; skipped so re-polls cannot duplicate");
          continue;
        }
        events.add(e);
      }
      if (!events.isEmpty()) {
        context.submit(events).toCompletableFuture().get(60, TimeUnit.SECONDS);
        submitted += events.size();
      }
      if (s.cursor() != null) {
        Map<String, Object> cin = new LinkedHashMap<>();
        cin.put("body", body);
        cin.put("records", records);
        cin.put("cursor", cursor);
        Object c = s.cursor().evaluate(cin);
        if (c != null && !c.toString().isEmpty()) {
          cursor =
              c instanceof Double d && d == Math.rint(d)
                  ? Long.toString(d.longValue())
                  : c.toString();
          context.state().put(CURSOR_KEY, cursor);
        }
      }
      String kind = s.pagination().kind();
      if (kind.equals("none") || records.isEmpty()) {
        break;
      }
      if (kind.equals("offset") || kind.equals("page")) {
        if (records.size() < s.pagination().pageSize()) {
          break;
        }
      } else {
        Object n = s.pagination().next().evaluate(body);
        if (n == null || n.toString().isEmpty()) {
          break;
        }
        next = n.toString();
      }
    }
    return submitted;
  }

  private Object fetch(DefinitionModel.Source s, Map<String, Object> in, int page, String next)
      throws IOException {
    DefinitionModel.Pagination p = s.pagination();
    HttpUrl url;
    if (p.kind().equals("next_link") && next != null) {
      url = HttpUrl.parse(next);
      if (url == null) {
        throw new IOException("next link '" + next + "' is not a URL");
      }
    } else {
      HttpUrl base = HttpUrl.parse(s.url().render(in));
      if (base == null) {
        throw new IOException("source URL is not a valid URL");
      }
      HttpUrl.Builder b = base.newBuilder();
      for (var q : s.query().entrySet()) {
        String v = q.getValue().render(in);
        if (!v.isEmpty()) {
          b.addQueryParameter(q.getKey(), v);
        }
      }
      switch (p.kind()) {
        case "cursor" -> {
          if (next != null) {
            b.setQueryParameter(p.param(), next);
          }
        }
        case "offset" -> b.setQueryParameter(p.param(), Integer.toString(page * p.pageSize()));
        case "page" -> b.setQueryParameter(p.param(), Integer.toString(page + 1));
        default -> {}
      }
      if (p.sizeParam() != null) {
        b.setQueryParameter(p.sizeParam(), Integer.toString(p.pageSize()));
      }
      url = b.build();
    }
    Request.Builder rb = new Request.Builder().url(url);
    s.headers().forEach((k, v) -> rb.header(k, v.render(in)));
    rb.method(s.method(), s.method().equals("POST") ? RequestBody.create(new byte[0], null) : null);
    try (Response resp = http.newCall(rb.build()).execute()) {
      if (!resp.isSuccessful()) {
        java.time.Duration wait =
            ResponseClassifier.read(resp.header("Retry-After"), null, clock.getAsLong());
        String after = "";
        if (wait != null && wait.compareTo(java.time.Duration.ZERO) > 0) {
          long capped = Math.min(wait.toMillis(), ResponseClassifier.MAX_WAIT.toMillis());
          notBefore = clock.getAsLong() + capped;
          after = "; next poll in " + (capped + 999) / 1000 + " s, as its Retry-After asks";
        }
        String body = resp.body().string().strip();
        throw new IOException(
            redactor.redact(
                "source endpoint "
                    + s.method()
                    + " "
                    + url.newBuilder().query(null).build()
                    + " answered HTTP "
                    + resp.code()
                    + (body.isEmpty()
                        ? ""
                        : ": " + (body.length() > 300 ? body.substring(0, 300) + "..." : body))
                    + after));
      }
      return RequestPlanner.JSON.readValue(resp.body().string(), Object.class);
    }
  }
}
