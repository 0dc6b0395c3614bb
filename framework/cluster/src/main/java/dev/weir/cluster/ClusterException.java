package dev.weir.cluster;

/** The cluster's Kafka cannot be reached, or its topics disagree with the settings. */
public final class ClusterException extends RuntimeException {
  public ClusterException(String message) {
    super(message);
  }

  public ClusterException(String message, Throwable cause) {
    super(message, cause);
  }
}
