package dev.weir.admin;

import dev.weir.delivery.JobResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replay and redelivery jobs started through the API, with their progress. Thread-safe; keeps the
 * last 100.
 */
final class Jobs {
  private static final int KEEP = 100;
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();

  static final class Job {
    final String id = UUID.randomUUID().toString();
    final String kind;
    final String destination;
    final long startedAt = System.currentTimeMillis();
    final AtomicLong done = new AtomicLong();
    final AtomicLong total = new AtomicLong();
    volatile JobResult result;
    volatile String error;

    Job(String kind, String destination) {
      this.kind = kind;
      this.destination = destination;
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", id);
      m.put("kind", kind);
      m.put("destination", destination);
      m.put("started_at", startedAt);
      m.put("state", error != null ? "failed" : result == null ? "running" : "done");
      m.put("done", done.get());
      m.put("total", total.get());
      if (result != null) {
        m.put("selected", result.selected());
        m.put("delivered", result.delivered());
        m.put("dead_lettered", result.deadLettered());
        m.put("cancelled", result.cancelled());
      }
      if (error != null) {
        m.put("error", error);
      }
      return m;
    }
  }

  Job create(String kind, String destination) {
    if (jobs.size() >= KEEP) {
      jobs.values().stream()
          .filter(j -> j.result != null || j.error != null)
          .min(java.util.Comparator.comparingLong(j -> j.startedAt))
          .ifPresent(j -> jobs.remove(j.id));
    }
    Job job = new Job(kind, destination);
    jobs.put(job.id, job);
    return job;
  }

  void track(Job job, CompletableFuture<JobResult> future) {
    future.whenComplete(
        (res, err) -> {
          if (err != null) {
            job.error = String.valueOf(err.getMessage());
          } else {
            job.result = res;
          }
        });
  }

  Job get(String id) {
    return jobs.get(id);
  }
}
