package dev.weir.host;

import dev.weir.admin.UserDeletionLog;
import dev.weir.delivery.DeliveryEngine;
import dev.weir.host.admin.DeletionRequests;
import dev.weir.host.config.Workspace;
import dev.weir.sdk.Outcome;
import dev.weir.sdk.UserDeletion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's part of a user deletion at destinations: each streaming destination the user's source
 * feeds whose running connector {@link dev.weir.sdk.StreamingDestination#deletesUsers() deletes
 * users} (a partner definition declaring a {@code delete_user} request, or a Java connector's hook)
 * gets a durable request ({@link DeletionRequests}: the one place the user id is kept, until the
 * destination is done with it) and the deletion is sent through the delivery engine with the
 * destination's retries; every attempt is recorded on the deletion ({@link UserDeletionLog}). On
 * start, deletions a restart interrupted are sent again. Thread-safe.
 */
final class UserDeletions {
  private static final Logger LOG = LoggerFactory.getLogger(UserDeletions.class);

  /** The workspace running now (a reload replaces it). */
  private final java.util.function.Supplier<Workspace> workspace;

  private final DeliveryEngine engine;
  private final DeletionRequests requests;
  private final UserDeletionLog log;
  private final dev.weir.runtime.Redactor redactor;

  UserDeletions(
      java.util.function.Supplier<Workspace> workspace,
      DeliveryEngine engine,
      DeletionRequests requests,
      UserDeletionLog log,
      dev.weir.runtime.Redactor redactor) {
    this.workspace = workspace;
    this.engine = engine;
    this.requests = requests;
    this.log = log;
    this.redactor = redactor;
  }

  /** Queues and sends the deletion to every destination that supports it; their ids. */
  List<String> queue(String deletionId, String sourceId, String userId, Set<String> devices) {
    List<String> queued = new ArrayList<>();
    if (engine == null) {
      return queued;
    }
    Workspace ws = workspace.get();
    for (Workspace.DestinationConfig d : ws.destinations()) {
      if (!d.enabled()
          || !ws.sourcesFeeding(d.id()).contains(sourceId)
          || !engine.destinations().contains(d.id())
          || !engine.deletesUsers(d.id())) {
        continue;
      }
      requests.record(d.id(), deletionId, sourceId, userId, devices);
      queued.add(d.id());
      if (deletionId != null) {
        log.destination(deletionId, d.id(), UserDeletionLog.PENDING, Map.of("attempts", 0));
        send(d.id(), new UserDeletion(deletionId, sourceId, userId, devices));
      }
    }
    return queued;
  }

  /** Sends again what a restart interrupted; a deletion cut short before its destinations fails. */
  void resume() {
    for (String id : log.unfinished()) {
      Map<String, Object> r = log.get(id).orElse(Map.of());
      @SuppressWarnings("unchecked")
      Map<String, Object> stages = (Map<String, Object>) r.getOrDefault("stages", Map.of());
      for (String stage : List.of("store", "delivery", "batch_outputs")) {
        if (stages.get(stage) instanceof Map<?, ?> s
            && UserDeletionLog.PENDING.equals(s.get("status"))) {
          log.stage(
              id,
              stage,
              UserDeletionLog.FAILED,
              Map.of("error", "interrupted by a restart: run the deletion again"));
        }
      }
      for (String dest : log.pendingDestinations(id)) {
        Map<String, Object> req =
            requests.pending(dest).stream()
                .filter(q -> id.equals(q.get("deletion_id")))
                .findFirst()
                .orElse(null);
        if (req == null
            || engine == null
            || !engine.destinations().contains(dest)
            || !engine.deletesUsers(dest)) {
          log.destination(
              id,
              dest,
              UserDeletionLog.FAILED,
              Map.of("error", "cannot resume after a restart: no request or destination"));
          continue;
        }
        @SuppressWarnings("unchecked")
        List<String> devices = (List<String>) req.getOrDefault("device_ids", List.of());
        LOG.info("Resuming user deletion {} for destination '{}'", id, dest);
        send(
            dest,
            new UserDeletion(
                id, (String) req.get("source"), (String) req.get("user_id"), Set.copyOf(devices)));
      }
    }
  }

  private void send(String destination, UserDeletion request) {
    engine.deleteUser(
        destination,
        request,
        (dest, attempts, outcome, finished) -> {
          Map<String, Object> details = new LinkedHashMap<>();
          details.put("attempts", attempts);
          if (outcome.status() != Outcome.Status.DELIVERED) {
            details.put(finished ? "error" : "last_error", redactor.redact(outcome.reason()));
            if (outcome.statusCode() > 0) {
              details.put("status_code", outcome.statusCode());
            }
          }
          String status =
              !finished
                  ? UserDeletionLog.PENDING
                  : outcome.status() == Outcome.Status.DELIVERED
                      ? UserDeletionLog.DONE
                      : UserDeletionLog.FAILED;
          log.destination(request.deletionId(), dest, status, details);
          if (finished) {
            requests.remove(dest, request.deletionId());
          }
        });
  }
}
