package dev.weir.connectors.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.ingest.ParsedEvent;
import dev.weir.ingest.SegmentFormat;
import dev.weir.sdk.Event;
import dev.weir.sdk.StoreUnavailableException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Segment's tracking API: {@code POST /v1/track|identify|page|screen|group|alias} (one call) and
 * {@code /v1/batch}, {@code /v1/import} (a batch; analytics-java posts to the latter). The write
 * key is the body's {@code writeKey} or the HTTP Basic user name. Answers 200 {@code
 * {"success":true}} once stored; 400 for invalid JSON, oversized calls or batches, or a single call
 * that cannot be mapped. Stateless; thread-safe.
 */
final class SegmentApi implements IngestApi {
  static final int MAX_BATCH_ITEMS = 2500;

  @Override
  public void register(Javalin app, Listener listener) {
    for (String type : SegmentFormat.TYPES) {
      app.post("/v1/" + type, ctx -> handle(ctx, listener, type));
    }
    app.post("/v1/batch", ctx -> handle(ctx, listener, null));
    app.post("/v1/import", ctx -> handle(ctx, listener, null));
  }

  private void handle(Context ctx, Listener listener, String impliedType) {
    long now = System.currentTimeMillis();
    ListenerConfig cfg = listener.config();
    long limit = impliedType == null ? cfg.segmentMaxBatchBytes() : cfg.segmentMaxCallBytes();
    BodyReader.then(
        ctx,
        limit,
        cfg.bodyTimeoutMs(),
        listener.timer(),
        body -> handle(ctx, listener, impliedType, body, now),
        // Segment answers 400 for oversized payloads.
        r -> fail(ctx, r.status == 413 ? 400 : r.status, r.getMessage()));
  }

  private void handle(Context ctx, Listener listener, String impliedType, byte[] body, long now)
      throws InterruptedException {
    ListenerConfig cfg = listener.config();
    JsonNode root;
    try {
      root = Bodies.JSON.readTree(body);
    } catch (IOException e) {
      fail(ctx, 400, "invalid JSON: " + Bodies.describe(e));
      return;
    }
    if (root == null || !root.isObject()) {
      fail(ctx, 400, "the body must be a JSON object");
      return;
    }
    String key =
        root.path("writeKey").isTextual()
            ? root.get("writeKey").asText()
            : WriteKeys.basicUser(ctx);
    Ingest ingest = listener.ingestFor(key);
    if (ingest == null) {
      fail(
          ctx,
          401,
          key == null || key.isEmpty()
              ? "missing write key (writeKey or HTTP Basic user)"
              : "invalid write key");
      return;
    }
    if (!ingest.enter()) {
      ctx.header("Retry-After", "1");
      fail(ctx, 503, "source is stopping, retry later");
      return;
    }
    try {
      if (impliedType == null) {
        batch(
            ctx,
            ingest,
            root,
            now,
            body.length > cfg.segmentMaxCallBytes() ? cfg.segmentMaxCallBytes() : -1);
      } else {
        single(ctx, ingest, root, impliedType, now);
      }
    } finally {
      ingest.exit();
    }
  }

  private void single(Context ctx, Ingest ingest, JsonNode call, String type, long now)
      throws InterruptedException {
    ParsedEvent parsed = SegmentFormat.parse(call, type, now);
    if (!parsed.ok()) {
      fail(ctx, 400, parsed.reason());
      return;
    }
    if (submit(ctx, ingest, List.of(parsed.event()))) {
      Reply.json(ctx, 200, Reply.object().put("success", true));
    }
  }

  /**
   * {@code maxCall} is the per-call size limit, or -1 when the whole body is under it (no call can
   * be over).
   */
  private void batch(Context ctx, Ingest ingest, JsonNode root, long now, long maxCall)
      throws InterruptedException {
    JsonNode items = root.get("batch");
    if (items == null || !items.isArray()) {
      fail(ctx, 400, "batch must be an array of calls");
      return;
    }
    if (items.size() > Math.min(MAX_BATCH_ITEMS, ingest.maxEvents())) {
      fail(ctx, 400, "too many calls in one batch: " + items.size());
      return;
    }
    List<ParsedEvent> parsed = SegmentFormat.parseBatch(root, now);
    List<Event> good = new ArrayList<>(parsed.size());
    ArrayNode rejected = Reply.object().arrayNode();
    for (int i = 0; i < parsed.size(); i++) {
      String reason = parsed.get(i).ok() ? null : parsed.get(i).reason();
      if (reason == null && maxCall > 0 && items.get(i).toString().length() > maxCall) {
        reason = "call is over the limit of " + maxCall + " bytes";
      }
      if (reason == null) {
        good.add(parsed.get(i).event());
      } else {
        rejected.addObject().put("index", i).put("reason", reason);
      }
    }
    if (good.isEmpty() && !parsed.isEmpty()) {
      ObjectNode out =
          Reply.object().put("success", false).put("message", "no call in the batch is valid");
      out.set("rejected", rejected);
      Reply.json(ctx, 400, out);
      return;
    }
    if (submit(ctx, ingest, good)) {
      ObjectNode out = Reply.object().put("success", true);
      if (!rejected.isEmpty()) {
        out.set("rejected", rejected);
      }
      Reply.json(ctx, 200, out);
    }
  }

  private static boolean submit(Context ctx, Ingest ingest, List<Event> events)
      throws InterruptedException {
    try {
      ingest.submit(events);
      return true;
    } catch (StoreUnavailableException e) {
      ctx.header("Retry-After", "1");
      fail(ctx, 503, "store unavailable, retry later: " + Reply.scrub(e.getMessage(), 300));
      return false;
    }
  }

  private static void fail(Context ctx, int code, String message) {
    Reply.json(
        ctx, code, Reply.object().put("success", false).put("code", code).put("message", message));
  }
}
