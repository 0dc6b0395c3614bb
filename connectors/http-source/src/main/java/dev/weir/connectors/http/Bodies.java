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
 * Inflates request bodies (read by {@link BodyReader}) with a cap on the decompressed size, and
 * parses JSON under strict {@link StreamReadConstraints}. Stateless and thread-safe.
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
   * The body as received, gzip inflated when so encoded, at most {@code limit} bytes after
   * inflation (so a gzip bomb stops at the limit).
   */
  static byte[] decode(Context ctx, byte[] raw, long limit) throws Refused {
    String encoding = ctx.header("Content-Encoding");
    if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
      return raw;
    }
    if (!encoding.trim().equalsIgnoreCase("gzip")) {
      throw new Refused(
          415, "unsupported Content-Encoding '" + Reply.cut(encoding, 40) + "'; use gzip or none");
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
      return capped(ctx, in, limit);
    } catch (EOFException e) {
      throw new Refused(400, "truncated gzip body");
    } catch (ZipException e) {
      throw new Refused(400, "invalid gzip body: " + Reply.scrub(e.getMessage(), 100));
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

  private static byte[] capped(Context ctx, InputStream in, long limit)
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
    }
    return out.toByteArray();
  }
}
