package dev.weir.connectors.http;

import io.javalin.http.Context;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a request body without holding a thread while it arrives (servlet non-blocking reads under
 * Javalin's async request), with a size cap and a deadline: a client that trickles its body gets
 * 408 once {@code body_timeout_ms} has passed, whichever endpoint it calls, and costs no thread
 * meanwhile. Then hands the (gzip-inflated) body to the endpoint's handler on the thread that read
 * its last bytes. Stateless; one read per request.
 */
final class BodyReader {
  private static final Logger LOG = LoggerFactory.getLogger(BodyReader.class);

  private BodyReader() {}

  /** What an endpoint does with a whole body. */
  @FunctionalInterface
  interface Handler {
    void handle(byte[] body) throws InterruptedException;
  }

  /** How an endpoint answers a body it cannot take. */
  @FunctionalInterface
  interface RefusedHandler {
    void refused(Bodies.Refused refused);
  }

  /**
   * Reads the body of {@code ctx} asynchronously, then calls {@code onBody} or {@code onRefused}.
   * Must be called from a Javalin handler; the response is complete when either has returned.
   */
  static void then(
      Context ctx,
      long limit,
      long timeoutMs,
      ScheduledExecutorService timer,
      Handler onBody,
      RefusedHandler onRefused) {
    ctx.future(
        () ->
            read(ctx, limit, timeoutMs, timer)
                .handle(
                    (body, error) -> {
                      try {
                        if (error == null) {
                          onBody.handle(Bodies.decode(ctx, body, limit));
                        } else {
                          onRefused.refused(refused(error));
                        }
                      } catch (Bodies.Refused r) {
                        onRefused.refused(r);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        Reply.errorFor(ctx, 503, "service unavailable, retry later");
                      } catch (RuntimeException e) {
                        // A 500 from an ingest endpoint is always a bug: log it, tell the client
                        // little.
                        LOG.warn("Request {} {} failed", ctx.method(), ctx.path(), e);
                        Reply.errorFor(ctx, 500, "internal error");
                      }
                      return null;
                    }));
  }

  private static Bodies.Refused refused(Throwable error) {
    Throwable t =
        error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error;
    return t instanceof Bodies.Refused r
        ? r
        : new Bodies.Refused(408, "request body not received in time, or cut off");
  }

  private static CompletableFuture<byte[]> read(
      Context ctx, long limit, long timeoutMs, ScheduledExecutorService timer) {
    CompletableFuture<byte[]> done = new CompletableFuture<>();
    long declared = ctx.req().getContentLengthLong();
    if (declared > limit) {
      // The body stays unread: close the connection after the answer instead of draining it.
      ctx.header("Connection", "close");
      done.completeExceptionally(
          new Bodies.Refused(413, "body of " + declared + " bytes is over the limit of " + limit));
      return done;
    }
    ServletInputStream in;
    try {
      in = ctx.req().getInputStream();
    } catch (IOException e) {
      done.completeExceptionally(new Bodies.Refused(400, "request body cannot be read"));
      return done;
    }
    ScheduledFuture<?> deadline =
        timer.schedule(
            () -> {
              if (!done.isDone()) {
                ctx.header("Connection", "close");
                done.completeExceptionally(
                    new Bodies.Refused(
                        408, "request body not received within " + timeoutMs + " ms"));
              }
            },
            timeoutMs,
            TimeUnit.MILLISECONDS);
    done.whenComplete((b, e) -> deadline.cancel(false));
    ByteArrayOutputStream out =
        new ByteArrayOutputStream((int) Math.min(Math.max(declared, 256), 64 * 1024));
    in.setReadListener(
        new ReadListener() {
          private final byte[] buf = new byte[16 * 1024];

          @Override
          public void onDataAvailable() throws IOException {
            while (!done.isDone() && in.isReady()) {
              int n = in.read(buf);
              if (n < 0) {
                return;
              }
              if (out.size() + (long) n > limit) {
                ctx.header("Connection", "close");
                done.completeExceptionally(
                    new Bodies.Refused(413, "body is over the limit of " + limit + " bytes"));
                return;
              }
              out.write(buf, 0, n);
            }
          }

          @Override
          public void onAllDataRead() {
            done.complete(out.toByteArray());
          }

          @Override
          public void onError(Throwable t) {
            ctx.header("Connection", "close");
            done.completeExceptionally(
                new Bodies.Refused(408, "request body not received in time, or cut off"));
          }
        });
    return done;
  }
}
