package dev.weir.exports;

import java.util.List;

/**
 * What one audience sync sent: users who entered and users who left since the last sync, sorted.
 *
 * @param audience the audience name
 * @param size members now
 * @param added users who entered
 * @param removed users who left
 */
public record AudienceDiff(String audience, int size, List<String> added, List<String> removed) {
  public AudienceDiff {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
  }
}
