package dev.weir.connectors.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Writes JSON answers whole inside the handler, in each API's error shape. Stateless. */
final class Reply {
  /** A fully qualified Java class name, such as {@code java.util.concurrent.TimeoutException}. */
  private static final Pattern CLASS_NAME =
      Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?::\\s*)?");

  private Reply() {}

  /** How an API's clients expect an error: each vendor SDK parses its own shape. */
  enum Shape {
    /** Amplitude and Weir's canonical API: {@code {"code":N,"error":"..."}}. */
    CODE_ERROR,
    /** Segment: {@code {"success":false,"code":N,"message":"..."}}. */
    SEGMENT,
    /**
     * No path known (the request line could not be read): both shapes' fields at once, so every
     * client finds what it parses.
     */
    ANY;

    static Shape forPath(String path) {
      if (path == null) {
        return ANY;
      }
      String p =
          path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
      if (p.equals(CanonicalEventsApi.PATH)) {
        return CODE_ERROR;
      }
      if (p.startsWith("/v1/")) {
        return SEGMENT;
      }
      return CODE_ERROR;
    }

    ObjectNode body(int code, String message) {
      ObjectNode o = object();
      if (this == SEGMENT || this == ANY) {
        o.put("success", false);
      }
      o.put("code", code);
      if (this == CODE_ERROR || this == ANY) {
        o.put("error", message);
      }
      if (this == SEGMENT || this == ANY) {
        o.put("message", message);
      }
      return o;
    }
  }

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  static void error(Context ctx, int code, String message) {
    json(ctx, code, object().put("code", code).put("error", message));
  }

  /** An error in the shape the request's path calls for. */
  static void errorFor(Context ctx, int code, String message) {
    json(ctx, code, Shape.forPath(ctx.path()).body(code, message));
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

  /**
   * Text from an exception, made fit for a client: Java class names taken out, cut to {@code max}.
   */
  static String scrub(String s, int max) {
    return s == null ? null : cut(CLASS_NAME.matcher(s).replaceAll("").trim(), max);
  }
}
