package dev.weir.governance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast form of a property schema may only ever say "certainly valid" when the full JSON Schema
 * validator finds nothing; it must say so for ordinary valid events, or it saves nothing.
 */
class FastCheckTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String SCHEMA =
      """
      type: object
      properties:
        s: { type: string, minLength: 1, maxLength: 8, pattern: "^[a-z0-9_-]+$" }
        i: { type: integer, minimum: 0, maximum: 100 }
        n: { type: number, minimum: 0 }
        b: { type: boolean }
        e: { type: string, enum: [alpha, beta] }
        a: { type: array, items: { type: string }, maxItems: 3 }
        o: { type: object, properties: { x: { type: integer } }, required: [x], additionalProperties: false }
        free: { description: "anything" }
      required: [s, i]
      """;

  private static Object randomValue(Random r) {
    return switch (r.nextInt(14)) {
      case 0 -> null;
      case 1 -> "";
      case 2 -> "abc";
      case 3 -> "ABC";
      case 4 -> "toolongvalue";
      case 5 -> "😀😀";
      case 6 -> r.nextInt(200) - 50;
      case 7 -> r.nextBoolean() ? 1.0 : 2.5;
      case 8 -> (1L << 60) + r.nextInt(5);
      case 9 -> new BigInteger("123456789012345678901234567890");
      case 10 -> r.nextBoolean();
      case 11 -> r.nextBoolean() ? "alpha" : "gamma";
      case 12 -> {
        List<Object> l = new ArrayList<>();
        for (int k = r.nextInt(5); k > 0; k--) {
          l.add(r.nextBoolean() ? "x" : 3);
        }
        yield l;
      }
      default -> {
        Map<String, Object> m = new LinkedHashMap<>();
        if (r.nextBoolean()) {
          m.put("x", r.nextBoolean() ? 1 : "1");
        }
        if (r.nextInt(4) == 0) {
          m.put("y", 1);
        }
        yield m;
      }
    };
  }

  /** Mostly-valid values, so the random objects come near the boundary of the schema. */
  private static Object validValue(String key, Random r) {
    return switch (key) {
      case "s" -> r.nextBoolean() ? "sku-1" : "a";
      case "i" -> r.nextInt(101);
      case "n" -> r.nextBoolean() ? 0.5 : r.nextInt(10);
      case "b" -> r.nextBoolean();
      case "e" -> "beta";
      case "a" -> List.of("x", "y");
      case "o" -> Map.of("x", 3);
      default -> randomValue(r);
    };
  }

  @Test
  void saysCertainlyValidOnlyWhenTheFullValidatorFindsNothing() throws Exception {
    JsonNode node = new YAMLMapper().readTree(SCHEMA);
    for (String dialect : List.of(SchemaCompiler.DRAFT_2020_12, SchemaCompiler.DRAFT_7)) {
      PropertySchema schema =
          PropertySchema.of(SchemaCompiler.standard().compile(node, dialect, "$"), node);
      Random r = new Random(5);
      int fast = 0;
      for (int i = 0; i < 20_000; i++) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (String k : List.of("s", "i", "n", "b", "e", "a", "o", "free", "extra")) {
          if (r.nextInt(3) > 0) {
            props.put(k, r.nextInt(10) < 8 ? validValue(k, r) : randomValue(r));
          }
        }
        if (schema.certainlyValid(props)) {
          fast++;
          assertThat(schema.schema().validate(JSON.valueToTree(props)))
              .as("%s said valid: %s", dialect, props)
              .isEmpty();
        }
      }
      assertThat(fast).as("the fast path accepts some random objects").isPositive();
    }
  }

  @Test
  void acceptsAnOrdinaryValidEventWithoutTheFullValidator() throws Exception {
    JsonNode node = new YAMLMapper().readTree(SCHEMA);
    PropertySchema schema =
        PropertySchema.of(
            SchemaCompiler.standard().compile(node, SchemaCompiler.DRAFT_2020_12, "$"), node);
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("s", "sku-1");
    props.put("i", 7);
    props.put("n", 12.5);
    props.put("a", List.of("a", "b"));
    props.put("o", Map.of("x", 1));
    props.put("free", Map.of("nested", List.of(1, "two")));

    assertThat(schema.certainlyValid(props)).isTrue();
    props.put("i", 700);
    assertThat(schema.certainlyValid(props)).isFalse();
  }

  @Test
  void schemasOutsideTheSubsetAlwaysTakeTheFullValidator() throws Exception {
    JsonNode node =
        new YAMLMapper()
            .readTree("type: object\nproperties: { d: { type: string, format: date } }");
    PropertySchema schema =
        PropertySchema.of(
            SchemaCompiler.standard().compile(node, SchemaCompiler.DRAFT_2020_12, "$"), node);

    assertThat(schema.certainlyValid(Map.of("d", "2024-01-01"))).isFalse();
  }
}
