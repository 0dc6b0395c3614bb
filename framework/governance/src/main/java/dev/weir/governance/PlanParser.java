package dev.weir.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads one plan file (YAML, or JSON which is YAML too) into a {@link CompiledPlan}. Stateless and
 * thread-safe.
 */
final class PlanParser {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> TOP_KEYS =
      Set.of(
          "id",
          "version",
          "description",
          "owner",
          "schema_dialect",
          "common",
          "user_properties",
          "group_properties",
          "events");
  private static final Set<String> EVENT_KEYS =
      Set.of("description", "event_properties", "user_properties");
  private static final Set<String> COMMON_KEYS = Set.of("event_properties");

  private final SchemaCompiler compiler;

  PlanParser(SchemaCompiler compiler) {
    this.compiler = compiler;
  }

  CompiledPlan parse(Path file) throws PlanLoadException {
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new PlanLoadException(
          file, null, "$", "cannot read plan: " + firstLine(e.getMessage()));
    }
    return parse(file, root);
  }

  CompiledPlan parse(Path file, JsonNode root) throws PlanLoadException {
    if (root == null || !root.isObject()) {
      throw new PlanLoadException(
          file, null, "$", "a plan file must be a mapping with id, version and events");
    }
    unknownKeys(file, null, "$", root, TOP_KEYS);
    JsonNode id = root.get("id");
    if (id == null || !id.isTextual() || id.asText().isBlank()) {
      throw new PlanLoadException(file, null, "$.id", "id must be a non-empty string");
    }
    JsonNode version = root.get("version");
    if (version == null
        || !version.canConvertToExactIntegral()
        || !version.isNumber()
        || version.asLong() < 1
        || version.asLong() > Integer.MAX_VALUE) {
      throw new PlanLoadException(file, null, "$.version", "version must be a positive integer");
    }
    String dialect;
    JsonNode dialectNode = root.get("schema_dialect");
    try {
      dialect = SchemaCompiler.dialectFor(dialectNode == null ? null : dialectNode.asText());
    } catch (IllegalArgumentException e) {
      throw new PlanLoadException(file, null, "$.schema_dialect", e.getMessage());
    }

    PropertySchema common = null;
    JsonNode commonNode = root.get("common");
    if (commonNode != null) {
      if (!commonNode.isObject()) {
        throw new PlanLoadException(file, null, "$.common", "common must be a mapping");
      }
      unknownKeys(file, null, "$.common", commonNode, COMMON_KEYS);
      common =
          schema(
              file, null, "$.common.event_properties", commonNode.get("event_properties"), dialect);
    }
    PropertySchema user =
        schema(file, null, "$.user_properties", root.get("user_properties"), dialect);
    PropertySchema group =
        schema(file, null, "$.group_properties", root.get("group_properties"), dialect);

    Map<String, CompiledPlan.EventSpec> events = new LinkedHashMap<>();
    JsonNode eventsNode = root.get("events");
    if (eventsNode == null || !eventsNode.isObject()) {
      throw new PlanLoadException(
          file, null, "$.events", "events must be a mapping of event name to definition");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = eventsNode.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      StringBuilder p = new StringBuilder("$.events");
      SchemaCompiler.appendName(p, name);
      String path = p.toString();
      if (name.equals(Enforcer.IDENTIFY) || name.equals(Enforcer.GROUP_IDENTIFY)) {
        throw new PlanLoadException(
            file,
            name,
            path,
            "identify calls are checked against the plan's user_properties / group_properties, not an event entry");
      }
      JsonNode def = e.getValue();
      if (def == null || def.isNull()) {
        def = YAML.createObjectNode();
      }
      if (!def.isObject()) {
        throw new PlanLoadException(file, name, path, "an event definition must be a mapping");
      }
      unknownKeys(file, name, path, def, EVENT_KEYS);
      PropertySchema ep =
          schema(file, name, path + ".event_properties", def.get("event_properties"), dialect);
      PropertySchema up =
          schema(file, name, path + ".user_properties", def.get("user_properties"), dialect);
      events.put(name, new CompiledPlan.EventSpec(name, ep, up));
    }
    return new CompiledPlan(
        id.asText(), version.asInt(), file, Map.copyOf(events), common, user, group, root);
  }

  private PropertySchema schema(Path file, String event, String path, JsonNode node, String dialect)
      throws PlanLoadException {
    if (node == null || node.isNull()) {
      return null;
    }
    try {
      return PropertySchema.of(compiler.compile(node, dialect, path), node);
    } catch (SchemaCompiler.SchemaProblem e) {
      throw new PlanLoadException(file, event, e.path(), e.getMessage());
    }
  }

  private static void unknownKeys(
      Path file, String event, String path, JsonNode node, Set<String> allowed)
      throws PlanLoadException {
    for (Iterator<String> it = ((ObjectNode) node).fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        StringBuilder p = new StringBuilder(path);
        SchemaCompiler.appendName(p, key);
        throw new PlanLoadException(
            file,
            event,
            p.toString(),
            "unknown key '" + key + "'; expected one of " + allowed.stream().sorted().toList());
      }
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
