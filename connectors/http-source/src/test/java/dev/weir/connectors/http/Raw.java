package dev.weir.connectors.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Raw HTTP over a socket, for requests no HTTP client would send. */
final class Raw {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What came back: the status line's code (-1 for none), the body, and the whole text. */
  record Answer(int status, String head, String body, boolean closed) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  private Raw() {}

  /** Sends {@code request} as is and reads until the server closes or answers one response. */
  static Answer send(int port, byte[] request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(15_000);
      s.getOutputStream().write(request);
      s.getOutputStream().flush();
      return read(s);
    }
  }

  static Answer send(int port, String request) throws IOException {
    return send(port, request.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Reads one response (by its Content-Length) or until the connection ends. */
  static Answer read(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    boolean closed = false;
    try {
      while (true) {
        int n = in.read(buf);
        if (n < 0) {
          closed = true;
          break;
        }
        got.write(buf, 0, n);
        String text = got.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (end >= 0) {
          int length = contentLength(text.substring(0, end));
          if (length >= 0 && text.length() - end - 4 >= length) {
            break;
          }
        }
      }
    } catch (SocketException reset) {
      closed = true;
    } catch (SocketTimeoutException stillOpen) {
      // nothing more within the socket timeout
    }
    String text = got.toString(StandardCharsets.UTF_8);
    int end = text.indexOf("\r\n\r\n");
    String head = end < 0 ? text : text.substring(0, end);
    String body = end < 0 ? "" : text.substring(end + 4);
    int status = -1;
    if (head.startsWith("HTTP/1.1 ") && head.length() >= 12) {
      status = Integer.parseInt(head.substring(9, 12));
    }
    return new Answer(status, head, body, closed);
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    return -1;
  }
}
