package dev.weir.definitions;

/**
 * A mapping expression that failed to compile or to evaluate (including breaching a sandbox limit).
 */
final class TemplateException extends RuntimeException {
  TemplateException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
