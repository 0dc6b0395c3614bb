package dev.weir.sdk;

/**
 * The store cannot take events right now (disk full, shutting down); nothing was stored, retry
 * later.
 */
public class StoreUnavailableException extends RuntimeException {
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreUnavailableException(String message) {
    super(message);
  }
}
