package dev.weir.realtime;

import java.io.IOException;

/**
 * An append could not be made durable (disk full, I/O error) or the store is closed. Nothing of the
 * failed batch is stored; the store stays consistent and accepts appends again once the cause is
 * gone.
 */
public final class StoreWriteException extends IOException {
  private static final long serialVersionUID = 1L;

  public StoreWriteException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreWriteException(String message) {
    super(message);
  }
}
