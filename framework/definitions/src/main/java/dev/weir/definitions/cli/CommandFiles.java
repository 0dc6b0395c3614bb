package dev.weir.definitions.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.weir.definitions.Definition;
import dev.weir.definitions.DefinitionException;
import dev.weir.definitions.Definitions;
import dev.weir.definitions.DryRun;
import dev.weir.sdk.Event;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * File reading shared by the commands: definitions, NDJSON events, settings and recorded responses.
 */
final class CommandFiles {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  private CommandFiles() {}

  /** The parsed definition, or null after printing every problem to {@code err}. */
  static Definition load(Path file, PrintWriter err) {
    try {
      return Definitions.parse(file);
    } catch (DefinitionException e) {
      e.problems().forEach(p -> err.println(p));
      err.println(file + ": " + e.problems().size() + " problem(s)");
      err.flush();
      return null;
    }
  }

  static List<Event> events(Path ndjson) throws IOException {
    List<Event> out = new ArrayList<>();
    int n = 0;
    for (String line : Files.readAllLines(ndjson)) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      try {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = JSON.readValue(line, Map.class);
        out.add(Event.fromMap(m));
      } catch (IOException | RuntimeException e) {
        throw new IOException(ndjson + ":" + n + ": not a valid event: " + e.getMessage(), e);
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> settings(Path file) throws IOException {
    if (file == null) {
      return Map.of();
    }
    return new LinkedHashMap<>(YAML.readValue(file.toFile(), Map.class));
  }

  static List<DryRun.Recorded> responses(Path file) throws IOException {
    if (file == null) {
      return null;
    }
    JsonNode root = JSON.readTree(file.toFile());
    List<DryRun.Recorded> out = new ArrayList<>();
    for (JsonNode r : root.isArray() ? root : JSON.createArrayNode().add(root)) {
      Map<String, String> headers = new LinkedHashMap<>();
      r.path("headers")
          .fields()
          .forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
      JsonNode body = r.get("body");
      out.add(
          new DryRun.Recorded(
              r.path("status").asInt(200),
              headers,
              body == null ? null : body.isTextual() ? body.asText() : body.toString()));
    }
    return out;
  }
}
