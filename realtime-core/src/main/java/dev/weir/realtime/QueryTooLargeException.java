package dev.weir.realtime;

/** A query would hold more memory than the store's {@code query_memory_bytes} allows. */
public final class QueryTooLargeException extends IllegalStateException {
  public QueryTooLargeException(String message) {
    super(message);
  }
}
