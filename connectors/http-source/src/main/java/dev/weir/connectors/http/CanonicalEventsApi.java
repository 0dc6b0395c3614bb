package dev.weir.connectors.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.ingest.CanonicalFormat;
import dev.weir.ingest.JsonStreams;
import dev.weir.ingest.ParsedEvent;
import dev.weir.sdk.Event;
import dev.weir.sdk.StoreUnavailableException;
import dev.weir.sdk.SubmitResult;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /v1/events}: a JSON array of events in Weir's canonical model. Each event is checked
 * on its own; a malformed one is reported by index with the reason and its neighbours still go
 * through.
 *
 * <p>Each event is parsed straight into its compact form (no tree of the body). The body is read
 * like every other ingest API's ({@link Bodies}: gzip, size cap, body timeout). Answers 200 with
 * one result per input event when at least one event was accepted (or the array is empty), 400 when
 * every event is invalid or the body is not a JSON array, 401 for a missing or unknown write key,
 * 408 when the body is not received in time, 413 when too large, and 503 when the store cannot take
 * events now (nothing from the request was stored; retry).
 */
final class CanonicalEventsApi implements IngestApi {
  static final String PATH = "/v1/events";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public void register(Javalin app, Listener listener) {
    app.post(PATH, ctx -> handle(ctx, listener));
  }

  private void handle(Context ctx, Listener listener) {
    long now = System.currentTimeMillis();
    Ingest ingest = listener.ingestFor(WriteKeys.presented(ctx));
    if (ingest == null) {
      error(ctx, 401, "missing or invalid write key");
      return;
    }
    ListenerConfig cfg = listener.config();
    BodyReader.then(
        ctx,
        cfg.maxBodyBytes(),
        cfg.bodyTimeoutMs(),
        listener.timer(),
        body -> admitted(ctx, ingest, body, now),
        r -> error(ctx, r.status, r.getMessage()));
  }

  private void admitted(Context ctx, Ingest ingest, byte[] body, long now)
      throws InterruptedException {
    if (!ingest.enter()) {
      ctx.header("Retry-After", "1");
      error(ctx, 503, "shutting down, retry later");
      return;
    }
    try {
      handleAdmitted(ctx, ingest, body, now);
    } finally {
      ingest.exit();
    }
  }

  private void handleAdmitted(Context ctx, Ingest ingest, byte[] bytes, long now)
      throws InterruptedException {
    List<ParsedEvent> parsed;
    try {
      parsed = parseAll(bytes, now);
    } catch (IOException e) {
      error(ctx, 400, "invalid JSON: " + Bodies.describe(e));
      return;
    }
    if (parsed == null) {
      error(ctx, 400, "body must be a JSON array of events");
      return;
    }
    if (parsed.size() > ingest.maxEvents()) {
      error(ctx, 413, "too many events: " + parsed.size() + " > " + ingest.maxEvents());
      return;
    }
    int n = parsed.size();
    String[] problems = new String[n];
    List<Event> valid = new ArrayList<>(n);
    List<Integer> validIndex = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ParsedEvent p = parsed.get(i);
      if (p.ok()) {
        valid.add(p.event());
        validIndex.add(i);
      } else {
        problems[i] = p.reason();
      }
    }
    SubmitResult result;
    try {
      result = ingest.submit(valid);
    } catch (StoreUnavailableException e) {
      ctx.header("Retry-After", "1");
      error(ctx, 503, "store unavailable, retry later: " + Reply.scrub(e.getMessage(), 300));
      return;
    }
    ObjectNode body = JSON.createObjectNode();
    ArrayNode results = JSON.createArrayNode();
    String[] statuses = new String[n];
    for (int k = 0; k < validIndex.size(); k++) {
      statuses[validIndex.get(k)] = result.status(k).name().toLowerCase(Locale.ROOT);
    }
    for (int i = 0; i < n; i++) {
      ObjectNode r = results.addObject().put("index", i);
      if (problems[i] != null) {
        r.put("status", "invalid").put("error", problems[i]);
      } else {
        r.put("status", statuses[i]);
      }
    }
    int code = valid.isEmpty() && n > 0 ? 400 : 200;
    body.put("code", code).put("accepted", valid.size()).put("invalid", n - valid.size());
    body.set("results", results);
    respond(ctx, code, body);
  }

  /**
   * Reads the body with Jackson's streaming parser, each element straight into its compact event
   * ({@link CanonicalFormat}); null when the body is not a JSON array. The whole body is read
   * first, so malformed JSON anywhere is refused as a tree reader would refuse it.
   */
  private static List<ParsedEvent> parseAll(byte[] bytes, long now) throws IOException {
    try (JsonParser p = Bodies.JSON.createParser(bytes)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        JsonStreams.skip(p);
        return null;
      }
      List<ParsedEvent> out = new ArrayList<>();
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
        out.add(CanonicalFormat.parse(p, now));
      }
      return out;
    }
  }

  private static void error(Context ctx, int code, String message) {
    Reply.error(ctx, code, message);
  }

  private static void respond(Context ctx, int code, ObjectNode body) {
    Reply.json(ctx, code, body);
  }
}
