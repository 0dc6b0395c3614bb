package dev.weir.admin;

import java.util.Map;

/**
 * Changes to a running host without a restart: reloading its workspace file and unloading a plugin.
 * Stateless.
 */
final class WorkspaceApi {
  private final AdminBackend backend;

  WorkspaceApi(AdminBackend backend) {
    this.backend = backend;
  }

  void register(Routes r) {
    r.post(
        "/api/v1/workspace/reload",
        ctx -> {
          Map<String, Object> report = backend.reloadWorkspace();
          HttpJson.send(ctx, Boolean.TRUE.equals(report.get("applied")) ? 200 : 422, report);
        });
    r.delete(
        "/api/v1/plugins/{id}/{version}",
        ctx ->
            HttpJson.ok(ctx, backend.unloadPlugin(ctx.pathParam("id"), ctx.pathParam("version"))));
    r.get("/api/v1/audiences", ctx -> HttpJson.ok(ctx, Map.of("audiences", backend.audiences())));
    r.post(
        "/api/v1/audiences/{name}/sync",
        ctx -> HttpJson.ok(ctx, backend.syncAudience(ctx.pathParam("name"))));
  }
}
