package dev.weir.governance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The JSON Schema of the plan file itself, which editors use for completion, agrees with the
 * loader.
 */
class PlanFileSchemaTest {
  static final Path SCHEMA =
      Path.of("../../portal-config-examples/schema/tracking-plan.schema.json");

  static Schema planFileSchema() throws Exception {
    JsonNode node = Fixtures.JSON.readTree(SCHEMA.toFile());
    return SchemaCompiler.standard().compile(node, SchemaCompiler.DRAFT_2020_12, "$");
  }

  @Test
  void everyExamplePlanValidatesAgainstThePlanFileSchemaAndNamesItInItsEditorHeader()
      throws Exception {
    Schema schema = planFileSchema();
    List<Path> plans;
    try (Stream<Path> files = Files.list(Fixtures.EXAMPLES)) {
      plans = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(plans).hasSizeGreaterThanOrEqualTo(3);
    for (Path plan : plans) {
      assertThat(schema.validate(PlanParser.YAML.readTree(plan.toFile())))
          .as(plan.toString())
          .isEmpty();
      assertThat(Files.readString(plan))
          .startsWith("# yaml-language-server: $schema=../schema/tracking-plan.schema.json");
    }
  }

  @Test
  void thePlanFileSchemaRejectsWhatTheLoaderRejects() throws Exception {
    Schema schema = planFileSchema();
    JsonNode misspelled =
        PlanParser.YAML.readTree(
            """
        id: shop
        version: 1
        events:
          Item Bought:
            event_propertes: { type: object }
        """);
    assertThat(schema.validate(misspelled)).isNotEmpty();
    JsonNode badVersion = PlanParser.YAML.readTree("id: shop\nversion: 0\nevents: {}\n");
    assertThat(schema.validate(badVersion)).isNotEmpty();
    JsonNode identifyAsEvent =
        PlanParser.YAML.readTree("id: shop\nversion: 1\nevents: { $identify: {} }\n");
    assertThat(schema.validate(identifyAsEvent)).isNotEmpty();
    JsonNode badPropertySchema =
        PlanParser.YAML.readTree(
            """
        id: shop
        version: 1
        events:
          Item Bought:
            event_properties: { type: object, properties: { price: { type: nummber } } }
        """);
    assertThat(schema.validate(badPropertySchema)).isNotEmpty();
  }
}
