package dev.weir.host.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a value sits in the workspace, for messages: the connection it belongs to (if any) and the
 * path inside; {@code pointer} is the same place as a JSON pointer into the file, used only to find
 * its line and column. Immutable.
 */
record Node(String where, String path, String pointer) {
  private static final Pattern SEGMENT = Pattern.compile("\\[(\\d+)]|([^.\\[]+)");

  static Node root(JsonNode root) {
    return new Node("", "", "");
  }

  Node key(String key) {
    return new Node(where, path.isEmpty() ? key : path + "." + key, pointer + "/" + escape(key));
  }

  Node index(int i) {
    return new Node(where, path + "[" + i + "]", pointer + "/" + i);
  }

  /**
   * A path already formatted by someone else (such as a schema validator: {@code
   * write_keys[0].key}), appended as is.
   */
  Node path(String rest) {
    if (rest.isEmpty()) {
      return this;
    }
    StringBuilder more = new StringBuilder(pointer);
    Matcher m = SEGMENT.matcher(rest);
    while (m.find()) {
      more.append('/').append(m.group(1) != null ? m.group(1) : escape(m.group(2)));
    }
    return new Node(
        where,
        path.isEmpty() ? rest : rest.startsWith("[") ? path + rest : path + "." + rest,
        more.toString());
  }

  /**
   * The same place, now named by its connection: {@code source 'web'}; keeps the path when the id
   * is unknown.
   */
  Node connection(String kind, String id) {
    return id == null ? this : new Node(kind + " '" + id + "'", "", pointer);
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
