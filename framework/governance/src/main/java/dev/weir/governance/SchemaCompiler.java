package dev.weir.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Compiles JSON Schemas for plans with networknt json-schema-validator: checks each schema against
 * its dialect's meta-schema first (so a mistake is reported with its JSON path), then builds and
 * initialises the validators once. Thread-safe: the registries are shared and immutable once built.
 */
final class SchemaCompiler {
  static final String DRAFT_2020_12 = SpecificationVersion.DRAFT_2020_12.getDialectId();
  static final String DRAFT_7 = SpecificationVersion.DRAFT_7.getDialectId();

  /** The retrieval IRI plan schemas are compiled under; never fetched. */
  static final String BASE_IRI = "https://plans.weir.invalid/schema.json";

  private static final SchemaRegistryConfig CONFIG =
      SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();

  private static final SchemaCompiler DEFAULT = new SchemaCompiler(null);

  private final SchemaRegistry draft2020;
  private final SchemaRegistry draft7;

  /**
   * @param extraSchemas maps absolute schema URIs to their text, for {@code $ref}s to other
   *     documents (tests map the suite's remotes here); null for none
   */
  SchemaCompiler(Function<String, String> extraSchemas) {
    this.draft2020 = registry(SpecificationVersion.DRAFT_2020_12, extraSchemas);
    this.draft7 = registry(SpecificationVersion.DRAFT_7, extraSchemas);
  }

  static SchemaCompiler standard() {
    return DEFAULT;
  }

  private static SchemaRegistry registry(
      SpecificationVersion version, Function<String, String> extra) {
    return SchemaRegistry.withDefaultDialect(
        version,
        b -> {
          b.schemaRegistryConfig(CONFIG);
          // Plans must be self-contained: never fetch a $ref over the network while loading.
          b.schemaLoader(loader -> loader.fetchRemoteResources(false));
          if (extra != null) {
            b.schemas(extra);
          }
        });
  }

  /**
   * The dialect URI for a plan's {@code schema_dialect} value: {@code draft2020-12}, {@code
   * 2020-12}, {@code draft-07}, {@code draft7}, {@code 7}, or a full dialect URI of those two
   * drafts.
   *
   * @throws IllegalArgumentException for anything else
   */
  static String dialectFor(String name) {
    if (name == null) {
      return DRAFT_2020_12;
    }
    String n = name.trim().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "draft2020-12", "draft-2020-12", "2020-12" -> DRAFT_2020_12;
      case "draft-07", "draft7", "draft-7", "7", "07" -> DRAFT_7;
      default -> {
        String stripped = n.endsWith("#") ? n.substring(0, n.length() - 1) : n;
        if (stripped.equals(DRAFT_2020_12)) {
          yield DRAFT_2020_12;
        }
        if (stripped.equals("http://json-schema.org/draft-07/schema")) {
          yield DRAFT_7;
        }
        throw new IllegalArgumentException(
            "unsupported schema dialect '" + name + "': use draft2020-12 or draft-07");
      }
    };
  }

  /**
   * Compiles one schema; the schema's own {@code $schema} wins over {@code dialect}.
   *
   * @param path the JSON path of the schema inside its file, for error messages
   * @throws SchemaProblem naming the JSON path of the first mistake
   */
  Schema compile(JsonNode schemaNode, String dialect, String path) {
    String effective = dialect;
    JsonNode declared = schemaNode.get("$schema");
    if (declared != null) {
      if (!declared.isTextual()) {
        throw new SchemaProblem(path + ".$schema", "$schema must be a string");
      }
      try {
        effective = dialectFor(declared.asText());
      } catch (IllegalArgumentException e) {
        throw new SchemaProblem(path + ".$schema", e.getMessage());
      }
    }
    SchemaRegistry registry = DRAFT_7.equals(effective) ? draft7 : draft2020;
    if (schemaNode.isObject() || schemaNode.isBoolean()) {
      Schema meta = registry.getSchema(SchemaLocation.of(effective));
      List<Error> errors = meta.validate(schemaNode);
      if (!errors.isEmpty()) {
        Error first = errors.get(0);
        throw new SchemaProblem(
            path + suffix(first.getInstanceLocation(), null),
            "not a valid "
                + (DRAFT_7.equals(effective) ? "draft-07" : "draft 2020-12")
                + " schema: "
                + first.getMessage());
      }
    } else {
      throw new SchemaProblem(path, "a schema must be an object or a boolean");
    }
    try {
      // A base IRI lets relative $ids ("int.json") resolve, as they would for a schema served from
      // a URL.
      Schema schema = registry.getSchema(SchemaLocation.of(BASE_IRI), schemaNode);
      schema.initializeValidators();
      return schema;
    } catch (RuntimeException e) {
      throw new SchemaProblem(path, "schema does not compile: " + e.getMessage());
    }
  }

  /**
   * The dotted JSON-path suffix ({@code .a[0].b}) of a node path, plus an optional trailing
   * property.
   */
  static String suffix(NodePath location, String property) {
    StringBuilder sb = new StringBuilder();
    if (location != null) {
      for (int i = 0; i < location.getNameCount(); i++) {
        Object element = location.getElement(i);
        if (element instanceof Integer index) {
          sb.append('[').append(index).append(']');
        } else {
          appendName(sb, String.valueOf(element));
        }
      }
    }
    if (property != null) {
      appendName(sb, property);
    }
    return sb.toString();
  }

  /** The segments (String names, Integer indexes) of a node path. */
  static List<Object> segments(NodePath location) {
    List<Object> out = new ArrayList<>();
    if (location != null) {
      for (int i = 0; i < location.getNameCount(); i++) {
        out.add(location.getElement(i));
      }
    }
    return out;
  }

  static void appendName(StringBuilder sb, String name) {
    if (!name.isEmpty()
        && name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '$')) {
      sb.append('.').append(name);
    } else {
      sb.append("['").append(name.replace("'", "\\'")).append("']");
    }
  }

  /** A schema that failed to compile, with the JSON path of the mistake. */
  static final class SchemaProblem extends RuntimeException {
    private final String path;

    SchemaProblem(String path, String message) {
      super(message);
      this.path = path;
    }

    String path() {
      return path;
    }
  }
}
