package dev.weir.admin;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /api/v1/tap?source=}: the live debugger's server-sent event stream. Each client gets a
 * bounded buffer filled by the tap listener (never blocking ingest: records beyond it are dropped
 * and counted) and drained by the request's own Jetty thread until the client goes away or the
 * server stops. At most {@value #MAX_CLIENTS} clients.
 */
final class TapStream {
  static final int MAX_CLIENTS = 16;
  private static final int BUFFER = 2048;
  private final AdminBackend backend;
  private final AtomicInteger clients = new AtomicInteger();
  private volatile boolean running = true;

  TapStream(AdminBackend backend) {
    this.backend = backend;
  }

  void register(Routes r) {
    r.get("/api/v1/tap", this::stream);
  }

  void stop() {
    running = false;
  }

  private void stream(Context ctx) throws Exception {
    String source = ctx.queryParam("source");
    if (source != null && source.isBlank()) {
      source = null;
    }
    if (clients.incrementAndGet() > MAX_CLIENTS) {
      clients.decrementAndGet();
      HttpJson.send(
          ctx,
          429,
          java.util.Map.of("error", "too many debugger clients (max " + MAX_CLIENTS + ")"));
      return;
    }
    BlockingQueue<TapRecord> queue = new ArrayBlockingQueue<>(BUFFER);
    AtomicLong dropped = new AtomicLong();
    try (AutoCloseable sub =
        backend
            .eventTap()
            .subscribe(
                source,
                rec -> {
                  if (!queue.offer(rec)) {
                    dropped.incrementAndGet();
                  }
                })) {
      ctx.res().setStatus(200);
      ctx.res().setContentType("text/event-stream");
      ctx.res().setCharacterEncoding("UTF-8");
      ctx.res().setHeader("Cache-Control", "no-cache");
      ctx.res().setHeader("X-Accel-Buffering", "no");
      OutputStream out = ctx.res().getOutputStream();
      write(out, ": tap open" + (source == null ? "" : " for source " + source) + "\n\n");
      long reported = 0;
      while (running) {
        TapRecord rec = queue.poll(5, TimeUnit.SECONDS);
        if (rec == null) {
          write(out, ": keep-alive\n\n");
          continue;
        }
        StringBuilder b = new StringBuilder();
        b.append("id: ")
            .append(rec.seq())
            .append("\nevent: tap\ndata: ")
            .append(data(rec))
            .append("\n\n");
        TapRecord next;
        while ((next = queue.poll()) != null) {
          b.append("id: ")
              .append(next.seq())
              .append("\nevent: tap\ndata: ")
              .append(data(next))
              .append("\n\n");
        }
        long d = dropped.get();
        if (d != reported) {
          b.append("event: dropped\ndata: {\"dropped\":").append(d).append("}\n\n");
          reported = d;
        }
        write(out, backend.redactor().redact(b.toString()));
      }
    } catch (IOException gone) {
      // the client closed the stream
    } finally {
      clients.decrementAndGet();
    }
  }

  /**
   * A record as JSON, its delivery detail (a destination's answer: text from outside that may echo
   * a credential Weir never knew) with credential-looking values masked; the whole frame then
   * leaves through the one redactor.
   */
  private String data(TapRecord r) {
    String detail = backend.redactor().redactCredentials(r.detail());
    if (detail != null && !detail.equals(r.detail())) {
      r =
          new TapRecord(
              r.seq(),
              r.stage(),
              r.at(),
              r.source(),
              r.requestId(),
              r.insertId(),
              r.eventType(),
              r.event(),
              r.violations(),
              r.duplicate(),
              r.destination(),
              detail);
    }
    return HttpJson.write(r);
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
