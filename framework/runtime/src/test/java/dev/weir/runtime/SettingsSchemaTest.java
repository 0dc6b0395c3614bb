package dev.weir.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.sdk.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsSchemaTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Secrets at the top, nested in an object, inside list items, and a whole secret object. */
  private static final SettingsSchema SCHEMA =
      SettingsSchema.of(
          """
          {"type":"object","additionalProperties":false,"required":["url"],"properties":{
            "url":{"type":"string","description":"where"},
            "api_key":{"type":"string","secret":true,"description":"key"},
            "batch_size":{"type":"integer","default":100,"description":"n"},
            "auth":{"type":"object","description":"a","properties":{
              "user":{"type":"string","description":"u"},
              "password":{"type":"string","secret":true,"description":"p"}}},
            "oauth":{"type":"object","secret":true,"description":"o","properties":{
              "client_secret":{"type":"string"}}},
            "write_keys":{"type":"array","description":"w","items":{"type":"object","properties":{
              "name":{"type":"string","description":"n"},
              "key":{"type":"string","secret":true,"description":"k"}}}}}}""");

  private static final Map<String, Object> VALUES =
      Map.of(
          "url", "https://x.example",
          "api_key", "top-level-key",
          "auth", Map.of("user", "ann", "password", "nested-password"),
          "oauth", Map.of("client_secret", "whole-object-secret"),
          "write_keys",
              List.of(
                  Map.of("name", "web", "key", "item-key-one"),
                  Map.of("name", "ios", "key", "item-key-two")));

  @Test
  void secretsAreFoundAtEveryDepthIncludingListItems() {
    assertThat(SCHEMA.secretPaths())
        .containsExactly("api_key", "auth.password", "oauth", "write_keys[].key");
  }

  @Test
  void secretValuesAreEveryStringUnderASecretPath() {
    assertThat(SCHEMA.secretValues(VALUES))
        .containsExactlyInAnyOrder(
            "top-level-key",
            "nested-password",
            "whole-object-secret",
            "item-key-one",
            "item-key-two");
  }

  @Test
  void maskedCopyHidesSecretsKeepsTheShapeAndTheRest() {
    JsonNode masked = SCHEMA.masked(JSON.valueToTree(VALUES));
    assertThat(masked.at("/api_key").asText()).isEqualTo("***");
    assertThat(masked.at("/auth/password").asText()).isEqualTo("***");
    assertThat(masked.at("/auth/user").asText()).isEqualTo("ann");
    assertThat(masked.at("/oauth/client_secret").asText()).isEqualTo("***");
    assertThat(masked.at("/write_keys/1/key").asText()).isEqualTo("***");
    assertThat(masked.at("/write_keys/1/name").asText()).isEqualTo("ios");
    assertThat(masked.toString()).doesNotContain("item-key", "password\":\"nested");
  }

  @Test
  void validationAppliesDefaultsCoercesReferencesAndReportsEveryProblemByPath() {
    ObjectNode ok = JSON.createObjectNode().put("url", "u").put("batch_size", "250");
    assertThat(SCHEMA.validate(ok)).isEmpty();
    assertThat(ok.get("batch_size").intValue()).isEqualTo(250);

    ObjectNode bad = JSON.createObjectNode().put("urll", "u");
    bad.putObject("auth").put("pasword", "x");
    List<SettingsProblem> problems = SCHEMA.validate(bad);
    assertThat(problems).extracting(SettingsProblem::path).contains("url", "urll");
    assertThat(problems.toString()).contains("did you mean 'url'");
    assertThat(bad.get("batch_size").intValue()).as("default applied").isEqualTo(100);
  }

  @Test
  void resolveReturnsSettingsOrThrowsListingEveryProblem() {
    Settings s = SCHEMA.resolve("demo", Map.of("url", "u"));
    assertThat(s.intValue("batch_size", 0)).isEqualTo(100);
    assertThatThrownBy(() -> SCHEMA.resolve("demo", Map.of("extra", 1)))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageContaining("url")
        .hasMessageContaining("extra");
  }

  @Test
  void aNameThatSaysSecretInsideASecretObjectIsComplete() {
    assertThat(SCHEMA.completenessProblems())
        .containsExactly("oauth.client_secret: no description");
    assertThat(SCHEMA.isSecret("write_keys[3].key")).isTrue();
    assertThat(SCHEMA.isSecret("write_keys[3].name")).isFalse();
  }

  @Test
  void aProblemSaysWhatTheSettingShouldHoldFromItsDescriptionAndExample() {
    SettingsSchema schema =
        SettingsSchema.of(
            """
            {"type":"object","required":["pixel_id"],"properties":{
              "pixel_id":{"type":"string","pattern":"^[0-9]+$","format":"id",
                          "description":"Pixel id from Events Manager","examples":["1234567890"]},
              "region":{"enum":["us","eu"]}}}""");
    assertThat(schema.validate(JSON.createObjectNode()).toString())
        .contains(
            "pixel_id: required property missing (Pixel id from Events Manager; e.g. 1234567890)");
    List<SettingsProblem> bad =
        schema.validate(JSON.createObjectNode().put("pixel_id", "px-1").put("region", "mars"));
    assertThat(bad)
        .filteredOn(p -> p.path().equals("pixel_id"))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.message())
                    .endsWith(" (Pixel id from Events Manager; e.g. 1234567890)"));
    // a setting the schema says nothing about keeps the validator's message alone
    assertThat(bad)
        .filteredOn(p -> p.path().equals("region"))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).doesNotContain("("));
  }
}
