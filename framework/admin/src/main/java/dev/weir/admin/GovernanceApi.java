package dev.weir.admin;

import dev.weir.governance.ReloadReport;
import dev.weir.governance.TrackingPlans;
import dev.weir.governance.ViolationLog;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Tracking plans (versions, reload) and recent violations. Stateless. */
final class GovernanceApi {
  private final AdminBackend backend;

  GovernanceApi(AdminBackend backend) {
    this.backend = backend;
  }

  void register(Routes r) {
    r.get("/api/v1/tracking-plans", this::plans);
    r.post(
        "/api/v1/tracking-plans/reload",
        ctx -> {
          ReloadReport report = plans().reload();
          HttpJson.send(ctx, report.ok() ? 200 : 422, report.toMap());
        });
    r.get("/api/v1/violations", this::violations);
  }

  private TrackingPlans plans() {
    return backend
        .trackingPlans()
        .orElseThrow(() -> new StoreApi.Unavailable("no tracking plans are configured"));
  }

  private void plans(Context ctx) {
    TrackingPlans plans = plans();
    ReloadReport last = plans.lastReload();
    Map<String, List<Integer>> byId = new TreeMap<>();
    for (String loaded : last.loaded()) {
      int at = loaded.lastIndexOf('@');
      String id = at < 0 ? loaded : loaded.substring(0, at);
      byId.computeIfAbsent(id, k -> new ArrayList<>(plans.versions(k)));
    }
    List<Map<String, Object>> list = new ArrayList<>();
    byId.forEach(
        (id, versions) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("id", id);
          m.put("versions", versions);
          m.put("latest", versions.isEmpty() ? null : versions.get(versions.size() - 1));
          list.add(m);
        });
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("plans", list);
    out.put("last_reload", last.toMap());
    HttpJson.ok(ctx, out);
  }

  private void violations(Context ctx) {
    ViolationLog log =
        backend
            .violations()
            .orElseThrow(() -> new StoreApi.Unavailable("no tracking plans are configured"));
    int limit = HttpJson.intParam(ctx, "limit", 100, 1000);
    List<Map<String, Object>> records =
        log.queryJson(
            ctx.queryParam("source"), HttpJson.instant("since", ctx.queryParam("since")), limit);
    HttpJson.ok(ctx, Map.of("violations", records));
  }
}
