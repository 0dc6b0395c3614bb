package dev.weir.host.cli;

import dev.weir.host.config.Workspace;
import dev.weir.host.config.Workspace.DestinationConfig;
import dev.weir.host.config.Workspace.SourceConfig;
import java.nio.file.Path;
import java.util.List;

/** What a person needs after start: where to send events and where they land. Stateless. */
final class Summary {
  private Summary() {}

  static String of(Workspace ws, boolean quickstart) {
    StringBuilder sb = new StringBuilder();
    sb.append("Weir is running (workspace ").append(ws.file()).append(").\n");
    for (SourceConfig s : ws.sources()) {
      if (!s.enabled() || !s.type().equals("http")) {
        continue;
      }
      String host = String.valueOf(s.settings().getOrDefault("host", "0.0.0.0"));
      String shown = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
      String url = "http://" + shown + ":" + s.settings().get("port") + "/v1/events";
      String key = "<write key>";
      Object keys = s.settings().get("write_keys");
      if (keys instanceof List<?> l
          && !l.isEmpty()
          && !ws.secrets().contains(String.valueOf(l.get(0)))) {
        key = String.valueOf(l.get(0));
      }
      sb.append("\nSend events to source '").append(s.id()).append("':\n");
      sb.append("  curl -X POST ")
          .append(url)
          .append(" \\\n")
          .append("    -H 'Authorization: Bearer ")
          .append(key)
          .append("' -H 'Content-Type: application/json' \\\n")
          .append(
              "    -d '[{\"event_type\":\"Signed Up\",\"user_id\":\"user-1\",\"event_properties\":")
          .append("{\"plan\":\"free\"}}]'\n");
    }
    for (DestinationConfig d : ws.destinations()) {
      if (!d.enabled()) {
        sb.append("\nDestination '")
            .append(d.id())
            .append("' (")
            .append(d.type())
            .append(") is disabled.\n");
        continue;
      }
      if (d.type().equals("file")) {
        Path dir = Path.of(String.valueOf(d.settings().get("dir"))).toAbsolutePath().normalize();
        sb.append("\nEvents land in ")
            .append(dir)
            .append(" (destination '")
            .append(d.id())
            .append("'):\n")
            .append(
                "  *.ndjson.tmp is the file being written (each batch is on disk before it is acknowledged);\n")
            .append("  it becomes *.ndjson when rotated (size/age) or when Weir stops.\n");
      } else if (d.type().equals("webhook")) {
        sb.append("\nDestination '")
            .append(d.id())
            .append("' POSTs batches to ")
            // a credential written into the URL itself (?token=...) is masked too
            .append(
                dev.weir.runtime.Redactor.NONE.redactCredentials(
                    String.valueOf(d.settings().get("url"))))
            .append('\n');
      } else {
        sb.append("\nDestination '").append(d.id()).append("' (").append(d.type()).append(")\n");
      }
    }
    if (ws.server() != null) {
      Workspace.ServerConfig srv = ws.server();
      String host =
          srv.host() == null || srv.host().equals("0.0.0.0") || srv.host().equals("::")
              ? "localhost"
              : srv.host();
      String base = (srv.tls() == null ? "http://" : "https://") + host + ":" + srv.port();
      String token =
          srv.adminTokens().isEmpty()
              ? null
              : ws.secrets().contains(srv.adminTokens().get(0))
                  ? "<your admin token>"
                  : srv.adminTokens().get(0);
      sb.append("\nConsole: ").append(base).append("/console/");
      if (token != null) {
        sb.append("  (sign in with the token ").append(token).append(')');
      }
      sb.append('\n')
          .append("  admin API ")
          .append(base)
          .append("/api/v1, metrics ")
          .append(base)
          .append("/metrics, health ")
          .append(base)
          .append("/health/live and /health/ready\n");
      if (token != null) {
        sb.append("  curl -H 'Authorization: Bearer ")
            .append(token)
            .append("' ")
            .append(base)
            .append("/api/v1/destinations\n");
      }
    }
    sb.append(
        quickstart
            ? "\nPress Ctrl-C to stop (in-flight batches are flushed first)."
            : "\nStop with SIGTERM or Ctrl-C.");
    return sb.toString();
  }
}
