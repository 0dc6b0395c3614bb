package dev.weir.sdk;

import java.util.Objects;
import java.util.Set;

/**
 * A request to delete one user's data at a destination ({@link StreamingDestination#deleteUser}):
 * the user of a source, and the device ids seen on that user's events. Immutable.
 *
 * @param deletionId the host's id of the deletion, the same for every attempt and destination (a
 *     partner that accepts an idempotency key can be given it)
 * @param sourceId the source the user's events came from
 * @param userId the user to delete
 * @param deviceIds the device ids seen on the user's events (may be empty)
 */
public record UserDeletion(
    String deletionId, String sourceId, String userId, Set<String> deviceIds) {
  public UserDeletion {
    Objects.requireNonNull(deletionId, "deletionId");
    Objects.requireNonNull(sourceId, "sourceId");
    Objects.requireNonNull(userId, "userId");
    deviceIds = deviceIds == null ? Set.of() : Set.copyOf(deviceIds);
  }
}
