package dev.weir.connectors.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.weir.ingest.JsonErrors;
import io.javalin.http.Context;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads request bodies with a size cap, inflating gzip with the same cap on the decompressed size
 * (so a gzip bomb stops at the limit), and parses JSON under strict {@link StreamReadConstraints}.
 * Stateless and thread-safe.
 */
final class Bodies {
  /**
   * Deeper JSON than this is refused whole; the formats themselves cut objects deeper than 40
   * levels.
   */
  static final int MAX_NESTING = 64;

  static final int MAX_STRING = 1 << 20;
  static final int MAX_NUMBER_DIGITS = 100;
  static final ObjectMapper JSON =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_NESTING)
                          .maxStringLength(MAX_STRING)
                          .maxNumberLength(MAX_NUMBER_DIGITS)
                          .build())
                  .build())
          .build();

  private Bodies() {}

  /** A body that cannot be taken; {@code status} is the HTTP status to answer. */
  static final class Refused extends Exception {
    final int status;

    Refused(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  /**
   * The request body, gzip inflated when so encoded; at most {@code limit} bytes either way, and
   * received within {@code timeoutMs} in total (each single read is also bounded by the connector's
   * idle timeout).
   */
  static byte[] read(Context ctx, long limit, long timeoutMs) throws Refused {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    long declared = ctx.req().getContentLengthLong();
    if (declared > limit) {
      // The body stays unread: close the connection after the answer instead of draining it.
      ctx.header("Connection", "close");
      throw new Refused(413, "body of " + declared + " bytes is over the limit of " + limit);
    }
    byte[] raw;
    try (InputStream in = ctx.req().getInputStream()) {
      raw = capped(ctx, in, limit, deadline);
    } catch (Refused r) {
      throw r;
    } catch (IOException e) {
      ctx.header("Connection", "close");
      throw new Refused(408, "request body not received in time, or cut off");
    }
    String encoding = ctx.header("Content-Encoding");
    if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
      return raw;
    }
    if (!encoding.trim().equalsIgnoreCase("gzip")) {
      throw new Refused(
          415, "unsupported Content-Encoding '" + Reply.cut(encoding, 40) + "'; use gzip or none");
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
      return capped(ctx, in, limit, Long.MAX_VALUE);
    } catch (EOFException e) {
      throw new Refused(400, "truncated gzip body");
    } catch (ZipException e) {
      throw new Refused(400, "invalid gzip body: " + e.getMessage());
    } catch (IOException e) {
      throw new Refused(400, "cannot inflate gzip body");
    }
  }

  /**
   * Says what is wrong with a body that is not JSON, in the client's terms (see {@link
   * JsonErrors}).
   */
  static String describe(IOException e) {
    return Reply.cut(JsonErrors.describe(e, JSON.getFactory().streamReadConstraints()), 300);
  }

  private static byte[] capped(Context ctx, InputStream in, long limit, long deadline)
      throws IOException, Refused {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[16 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buf)) > 0) {
      total += n;
      if (total > limit) {
        ctx.header("Connection", "close");
        throw new Refused(413, "body is over the limit of " + limit + " bytes");
      }
      out.write(buf, 0, n);
      if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline > 0) {
        ctx.header("Connection", "close");
        throw new Refused(408, "request body not received within the body timeout");
      }
    }
    return out.toByteArray();
  }
}
