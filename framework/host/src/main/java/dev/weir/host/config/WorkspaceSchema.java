package dev.weir.host.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.definitions.Problem;
import dev.weir.definitions.YamlSchemaCheck;
import dev.weir.sdk.Ids;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The structure of a workspace file, checked against {@code workspace.schema.json} (the schema
 * editors use, from portal-config-examples/schema) before any reference is resolved: unknown keys
 * (with the keys allowed there and a suggestion), kinds of values and required keys, each reported
 * at its line and column. Stateless and thread-safe.
 */
final class WorkspaceSchema {
  static final String RESOURCE = "workspace.schema.json";
  private static final YamlSchemaCheck CHECK =
      YamlSchemaCheck.fromResource(WorkspaceSchema.class, RESOURCE);
  private static final Pattern REQUIRED = Pattern.compile("missing required key '(.*)'");

  /** Keys the schema refuses at a place (JSON pointer pattern) where a better hint is known. */
  private static final Map<Pattern, String> HINTS =
      Map.of(
          Pattern.compile("/destinations/\\d+/delivery/filter"),
          "put the filter in the destination's 'filter' section",
          Pattern.compile("/destinations/\\d+/delivery/batch_size"),
          "'batch_size' is no longer accepted: write max_batch_events (same meaning)",
          Pattern.compile("/destinations/\\d+/delivery/linger_ms"),
          "'linger_ms' is no longer accepted: write max_batch_delay_ms (same meaning)");

  private WorkspaceSchema() {}

  /** The workspace {@code text} (named {@code file}), checked: its problems and where nodes sit. */
  static YamlSchemaCheck.Checked read(String file, String text) {
    return CHECK.check(file, text);
  }

  /**
   * The problems of a {@link #read} workspace, as the loader names places; {@code root} is the same
   * file as read by the loader, used to name connections by id.
   */
  static List<ConfigProblem> problems(String file, YamlSchemaCheck.Checked checked, JsonNode root) {
    List<ConfigProblem> out = new ArrayList<>();
    for (Problem p : checked.problems()) {
      String pointer = p.path();
      String message = p.message();
      Matcher required = REQUIRED.matcher(message);
      if (required.matches()) {
        // named like the loader's own check: at the missing key, inside its parent
        pointer = pointer + "/" + required.group(1).replace("~", "~0").replace("/", "~1");
        message = "required key missing";
      }
      for (Map.Entry<Pattern, String> h : HINTS.entrySet()) {
        if (h.getKey().matcher(pointer).matches() && message.startsWith("unknown key")) {
          message = h.getValue();
        }
      }
      Node at = node(pointer, root);
      out.add(new ConfigProblem(file, p.line(), p.column(), at.where(), at.path(), message));
    }
    out.sort(Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column));
    return out;
  }

  /**
   * Whether {@code problem} (from the loader's later checks) is about a place the schema already
   * reported: the same place, or one inside or around it. One problem per place; the schema's wins.
   */
  static boolean covered(ConfigProblem problem, List<ConfigProblem> schemaProblems) {
    if (problem.where().isEmpty() && problem.path().isEmpty()) {
      return false;
    }
    for (ConfigProblem s : schemaProblems) {
      if (!s.where().equals(problem.where()) || (s.where().isEmpty() && s.path().isEmpty())) {
        continue;
      }
      if (within(problem.path(), s.path()) || within(s.path(), problem.path())) {
        return true;
      }
    }
    return false;
  }

  private static boolean within(String path, String outer) {
    return path.equals(outer)
        || outer.isEmpty()
        || path.startsWith(outer + ".")
        || path.startsWith(outer + "[");
  }

  /**
   * A JSON pointer as the loader names places: {@code /sources/0/settings/port} of a source with id
   * web is {@code source 'web'}, {@code settings.port}.
   */
  static Node node(String pointer, JsonNode root) {
    Node at = Node.root(root);
    if (pointer.isEmpty()) {
      return at;
    }
    String[] parts = pointer.substring(1).split("/", -1);
    JsonNode cur = root;
    for (int i = 0; i < parts.length; i++) {
      String key = parts[i].replace("~1", "/").replace("~0", "~");
      boolean inList = cur != null && cur.isArray() && key.matches("\\d+");
      if (inList) {
        int index = Integer.parseInt(key);
        cur = cur.get(index);
        at = at.index(index);
        if (i == 1 && ("sources".equals(parts[0]) || "destinations".equals(parts[0]))) {
          JsonNode id = cur == null ? null : cur.get("id");
          if (id != null && id.isTextual() && Ids.isValid(id.textValue())) {
            at =
                at.connection(
                    "sources".equals(parts[0]) ? "source" : "destination", id.textValue());
          }
        }
      } else {
        cur = cur == null ? null : cur.get(key);
        at = at.key(key);
      }
    }
    return at;
  }
}
