package dev.weir.definitions;

import java.util.List;
import java.util.Map;

/**
 * One HTTP request a definition would send, before auth is applied, with the positions of the
 * events it carries (indexes into the batch handed to {@code deliver}). Immutable.
 */
record PlannedRequest(
    String action,
    String method,
    String url,
    Map<String, String> headers,
    byte[] body,
    String contentType,
    List<Integer> events) {}
