package dev.weir.connectors.fileexport;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where exported files go: a local directory or an S3 bucket. {@link #put} replaces an object
 * atomically.
 */
interface Storage extends AutoCloseable {
  /**
   * Stores {@code file} under {@code key} (a relative, slash-separated path); durable when it
   * returns.
   */
  void put(String key, Path file) throws IOException;

  /** The keys under {@code prefix} (slash-separated, relative), sorted. */
  java.util.List<String> list(String prefix) throws IOException;

  /** Copies the object {@code key} to the local file {@code to}, replacing it. */
  void get(String key, Path to) throws IOException;

  /** A printable location of {@code key}, for manifests and logs (never credentials). */
  String location(String key);

  @Override
  default void close() {}
}
