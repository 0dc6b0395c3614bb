package dev.weir.connectors.http;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * The HTTP server's own error answers (431 headers too large, 414 URI too long, 505 version, 400
 * malformed request, 426, 404, 500, ...) in the JSON shape of the endpoint asked for ({@link
 * Reply.Shape}), instead of Jetty's HTML page, and without the server's class or servlet names.
 * Installed on the server and on Javalin's servlet context. Stateless; thread-safe.
 */
final class ErrorAnswers extends ErrorHandler {
  ErrorAnswers() {
    setShowServlet(false);
    setShowStacks(false);
  }

  /** What the server says for a status, in the client's terms. */
  static String message(int status, String reason) {
    return switch (status) {
      case 400 -> "malformed HTTP request" + detail(reason);
      case 404 -> "Invalid request path";
      case 405 -> "method not allowed: ingest endpoints take POST";
      case 408 -> "request not received in time";
      case 413 -> "Payload too large";
      case 414 -> "request URI too long";
      case 415 -> "unsupported media type";
      case 426 -> "upgrade required: this endpoint speaks HTTP/1.1";
      case 429 -> "too many requests";
      case 431 -> "request headers too large";
      case 500 -> "internal error";
      case 503 -> "service unavailable, retry later";
      case 505 -> "HTTP version not supported: use HTTP/1.1";
      default -> status >= 500 ? "server error" : "request refused";
    };
  }

  private static String detail(String reason) {
    if (reason == null || reason.isBlank() || reason.startsWith("Bad Request")) {
      return "";
    }
    String r = Reply.scrub(reason, 120);
    return r.isEmpty() ? "" : ": " + r;
  }

  /** Answers the server could not parse far enough to know the path. */
  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json"));
    byte[] body =
        Reply.Shape.ANY
            .body(status, message(status, reason))
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.wrap(body);
  }

  @Override
  public void handle(
      String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    baseRequest.setHandled(true);
    if (response.isCommitted()) {
      return;
    }
    int status = response.getStatus();
    Object reason = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
    byte[] body =
        Reply.Shape.forPath(request.getRequestURI())
            .body(status, message(status, reason == null ? null : reason.toString()))
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    response.resetBuffer();
    response.setContentType("application/json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    response.flushBuffer();
  }
}
