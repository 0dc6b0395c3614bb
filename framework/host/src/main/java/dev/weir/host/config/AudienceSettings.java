package dev.weir.host.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.exports.AudienceDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The workspace's {@code audiences:} key: audience files (docs/exports.md, "Audience syncs"),
 * relative to the workspace file, each naming an enabled streaming destination of the workspace.
 * Stateless.
 */
final class AudienceSettings {
  private AudienceSettings() {}

  static List<AudienceDefinition> read(
      ObjectNode root, Node top, Problems p, Path dir, List<Workspace.DestinationConfig> dests) {
    List<AudienceDefinition> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    List<String> files = p.strings(root, top, "audiences");
    for (int i = 0; i < files.size(); i++) {
      Node at = top.key("audiences").index(i);
      Path file = dir.resolve(files.get(i)).normalize();
      if (!Files.isRegularFile(file)) {
        p.add(at, "file not found: " + file);
        continue;
      }
      AudienceDefinition a;
      try {
        a = AudienceDefinition.load(file);
      } catch (IOException e) {
        p.add(at, e.getMessage());
        continue;
      }
      if (!names.add(a.name())) {
        p.add(at, "audience '" + a.name() + "' is defined twice");
        continue;
      }
      Workspace.DestinationConfig d =
          dests.stream().filter(x -> x.id().equals(a.destination())).findFirst().orElse(null);
      if (d == null || !d.enabled() || d.mode() != Workspace.Mode.STREAM) {
        p.add(
            at,
            "audience '"
                + a.name()
                + "': destination '"
                + a.destination()
                + "' must be an enabled streaming destination of this workspace"
                + (d == null ? " (there is none with that id)" : ""));
        continue;
      }
      out.add(a);
    }
    return out;
  }
}
