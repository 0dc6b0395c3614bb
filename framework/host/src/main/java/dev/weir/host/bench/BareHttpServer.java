package dev.weir.host.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The bare-HTTP baseline of {@code weir bench ingest}, run as its own process: the HTTP server
 * library Weir's http source uses (Javalin on Jetty), serving {@code POST /2/httpapi} by parsing
 * the body with Jackson into maps and discarding it, answering like Amplitude. Runs until killed.
 */
public final class BareHttpServer {
  private BareHttpServer() {}

  public static void main(String[] args) throws InterruptedException {
    int port = Integer.parseInt(args[0]);
    ObjectMapper mapper = new ObjectMapper();
    Javalin.create(c -> c.showJavalinBanner = false)
        .post(
            "/2/httpapi",
            ctx -> {
              @SuppressWarnings("unchecked")
              Map<String, Object> root = mapper.readValue(ctx.bodyAsBytes(), Map.class);
              int n = ((List<?>) root.get("events")).size();
              ctx.contentType("application/json")
                  .result(
                      "{\"code\":200,\"events_ingested\":"
                          + n
                          + ",\"server_upload_time\":"
                          + System.currentTimeMillis()
                          + "}");
            })
        .get("/health", ctx -> ctx.result("ok"))
        .start("127.0.0.1", port);
    new CountDownLatch(1).await();
  }
}
