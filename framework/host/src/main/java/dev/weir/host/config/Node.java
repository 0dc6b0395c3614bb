package dev.weir.host.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a value sits in the workspace, for messages: the connection it belongs to (if any) and the
 * path inside. Immutable.
 */
record Node(String where, String path) {
  static Node root(JsonNode root) {
    return new Node("", "");
  }

  Node key(String key) {
    return new Node(where, path.isEmpty() ? key : path + "." + key);
  }

  Node index(int i) {
    return new Node(where, path + "[" + i + "]");
  }

  /** A path already formatted by someone else (such as a schema validator), appended as is. */
  Node path(String rest) {
    if (rest.isEmpty()) {
      return this;
    }
    return new Node(
        where, path.isEmpty() ? rest : rest.startsWith("[") ? path + rest : path + "." + rest);
  }

  /**
   * The same place, now named by its connection: {@code source 'web'}; keeps the path when the id
   * is unknown.
   */
  Node connection(String kind, String id) {
    return id == null ? this : new Node(kind + " '" + id + "'", "");
  }
}
