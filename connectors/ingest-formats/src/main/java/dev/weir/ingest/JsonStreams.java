package dev.weir.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Helpers for reading request bodies with Jackson's streaming parser instead of a tree: skipping a
 * value checks what reading it into a tree would check (every string within the parser's length
 * limit), so a body is refused or accepted exactly as {@code ObjectMapper.readTree} would.
 * Stateless.
 */
public final class JsonStreams {
  /** For the rare values kept as trees (a plan, say) and for walking trees as token streams. */
  static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonStreams() {}

  /**
   * Consumes the value at the parser's current token (a scalar, or a whole object or array),
   * checking each string against the parser's limits. The parser is left on the value's last token.
   */
  public static void skip(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == null) {
      return;
    }
    if (t == JsonToken.VALUE_STRING) {
      textLength(p);
      return;
    }
    if (!t.isStructStart()) {
      return;
    }
    int depth = 1;
    while (depth > 0) {
      JsonToken n = p.nextToken();
      if (n == null) {
        return;
      }
      if (n.isStructStart()) {
        depth++;
      } else if (n.isStructEnd()) {
        depth--;
      } else if (n == JsonToken.VALUE_STRING) {
        textLength(p);
      }
    }
  }

  /** The current string token's length in chars, checked against the parser's string limit. */
  static int textLength(JsonParser p) throws IOException {
    int n = p.getTextLength();
    p.streamReadConstraints().validateStringLength(n);
    return n;
  }

  /** The value at the parser's current token as a tree (for the few fields kept as trees). */
  static JsonNode tree(JsonParser p) throws IOException {
    return MAPPER.readTree(p);
  }

  /** A parser over a tree, on its first token: the tree entry points share the streaming code. */
  static JsonParser over(JsonNode node) {
    JsonParser p = node.traverse(MAPPER);
    try {
      p.nextToken();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }
}
