package dev.weir.connectors.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes JSON answers whole inside the handler. Stateless. */
final class Reply {
  private Reply() {}

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  static void error(Context ctx, int code, String message) {
    json(ctx, code, object().put("code", code).put("error", message));
  }

  /**
   * Writes the whole response (with its length) before the handler returns, so that once {@link
   * Ingest#exit()} has run a stopping source can close the server without cutting the answer short.
   */
  static void json(Context ctx, int code, ObjectNode body) {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    try {
      ctx.status(code).contentType("application/json");
      ctx.res().setContentLength(bytes.length);
      ctx.res().getOutputStream().write(bytes);
      ctx.res().flushBuffer();
    } catch (IOException | IllegalStateException e) {
      // The client went away (or the response was already committed); nothing more to tell it.
    }
  }

  /** Cuts text taken from a request before echoing it. */
  static String cut(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max) + "...";
  }
}
