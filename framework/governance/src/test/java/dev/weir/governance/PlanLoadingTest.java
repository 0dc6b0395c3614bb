package dev.weir.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanLoadingTest {
  @TempDir Path dir;

  Path write(String name, String yaml) throws Exception {
    return Files.writeString(dir.resolve(name), yaml);
  }

  static String plan(int version, String eventProperties) {
    return """
        id: shop
        version: %d
        events:
          Item Bought:
            event_properties:
        %s
        """
        .formatted(version, eventProperties.indent(6).stripTrailing());
  }

  @Test
  void examplePlansLoadSideBySideInAllTheirVersions() {
    TrackingPlans plans = TrackingPlans.open(Fixtures.EXAMPLES);
    assertThat(plans.lastReload().ok()).isTrue();
    assertThat(plans.lastReload().loaded()).containsExactly("ecommerce@2", "ecommerce@3", "saas@1");
    assertThat(plans.versions("ecommerce")).containsExactly(2, 3);
  }

  @Test
  void aSchemaThatDoesNotCompileIsRejectedWithFileEventAndJsonPath() throws Exception {
    Path file =
        write(
            "shop.yaml",
            plan(
                1,
                """
        type: object
        properties:
          price: { type: nummber }
        """));
    assertThatThrownBy(() -> TrackingPlans.loadStrict(file))
        .isInstanceOfSatisfying(
            PlanLoadException.class,
            e -> {
              assertThat(e.file()).isEqualTo(file.toAbsolutePath());
              assertThat(e.event()).isEqualTo("Item Bought");
              assertThat(e.jsonPath())
                  .isEqualTo("$.events['Item Bought'].event_properties.properties.price.type");
              assertThat(e.reason()).contains("draft 2020-12");
            });
  }

  @Test
  void anInvalidRegularExpressionIsRejectedAtLoad() throws Exception {
    Path file =
        write(
            "shop.yaml",
            plan(
                1,
                """
        type: object
        properties:
          sku: { type: string, pattern: "([a-z" }
        """));
    assertThatThrownBy(() -> TrackingPlans.loadStrict(file))
        .isInstanceOfSatisfying(
            PlanLoadException.class,
            e -> {
              assertThat(e.event()).isEqualTo("Item Bought");
              assertThat(e.jsonPath()).startsWith("$.events['Item Bought'].event_properties");
            });
  }

  @Test
  void aMisspelledPlanKeyIsRejectedWithItsPath() throws Exception {
    Path file =
        write(
            "shop.yaml",
            """
        id: shop
        version: 1
        events:
          Item Bought:
            event_propertes: { type: object }
        """);
    assertThatThrownBy(() -> TrackingPlans.loadStrict(file))
        .isInstanceOfSatisfying(
            PlanLoadException.class,
            e -> assertThat(e.jsonPath()).isEqualTo("$.events['Item Bought'].event_propertes"));
  }

  @Test
  void missingVersionAndBrokenYamlAreRejected() throws Exception {
    Path noVersion = write("a.yaml", "id: shop\nevents: {}\n");
    assertThatThrownBy(() -> TrackingPlans.loadStrict(noVersion))
        .isInstanceOfSatisfying(
            PlanLoadException.class, e -> assertThat(e.jsonPath()).isEqualTo("$.version"));
    Path broken = write("b.yaml", "id: shop\nversion: [1\n");
    assertThatThrownBy(() -> TrackingPlans.loadStrict(broken))
        .isInstanceOf(PlanLoadException.class)
        .hasMessageContaining("cannot read plan");
  }

  @Test
  void thePlanDialectDecidesWhichDraftASchemaIsReadAs() throws Exception {
    // Array-form "items" is draft-07 tuple validation; draft 2020-12 requires a schema there.
    String tupleItems =
        """
        type: object
        properties:
          pair: { type: array, items: [{ type: string }, { type: integer }] }
        """;
    Path draft7 = write("d7.yaml", "schema_dialect: draft-07\n" + plan(1, tupleItems));
    assertThat(TrackingPlans.loadStrict(draft7).versions("shop")).containsExactly(1);
    Path draft2020 = write("d2020.yaml", plan(2, tupleItems));
    assertThatThrownBy(() -> TrackingPlans.loadStrict(draft2020))
        .isInstanceOf(PlanLoadException.class)
        .hasMessageContaining("properties.pair.items");
  }

  @Test
  void aSchemasOwnDollarSchemaOverridesThePlanDialect() throws Exception {
    Path file =
        write(
            "shop.yaml",
            plan(
                1,
                """
        $schema: "http://json-schema.org/draft-07/schema#"
        type: object
        properties:
          pair: { type: array, items: [{ type: string }] }
        """));
    assertThat(TrackingPlans.loadStrict(file).versions("shop")).containsExactly(1);
  }

  @Test
  void twoFilesClaimingTheSameVersionAreReportedAndTheFirstWins() throws Exception {
    write("a.yaml", plan(1, "type: object"));
    write("b.yaml", plan(1, "type: object"));
    TrackingPlans plans = TrackingPlans.open(dir);
    assertThat(plans.lastReload().failures())
        .singleElement()
        .satisfies(e -> assertThat(e.file().getFileName().toString()).isEqualTo("b.yaml"));
    assertThat(plans.catalog().plan("shop", 1).file().getFileName().toString()).isEqualTo("a.yaml");
  }

  @Test
  void aBrokenFileOnReloadLeavesThePreviousVersionInForceAndSaysWhy() throws Exception {
    Path file = write("shop.yaml", plan(1, "type: object\nproperties: { sku: { type: string } }"));
    TrackingPlans plans = TrackingPlans.open(dir);
    CompiledPlan before = plans.catalog().plan("shop", 1);
    write("shop.yaml", plan(1, "type: object\nproperties: { sku: { type: strin } }"));
    ReloadReport report = plans.reload();
    assertThat(report.ok()).isFalse();
    assertThat(report.failures().get(0).file()).isEqualTo(file.toAbsolutePath());
    assertThat(report.toMap().get("failures").toString()).contains("properties.sku.type");
    assertThat(plans.catalog().plan("shop", 1)).isSameAs(before);
    assertThat(report.loaded()).containsExactly("shop@1");
  }

  @Test
  void deletingAPlanFileUnloadsItsVersionOnReload() throws Exception {
    write("v1.yaml", plan(1, "type: object"));
    Path v2 = write("v2.yaml", plan(2, "type: object"));
    TrackingPlans plans = TrackingPlans.open(dir);
    assertThat(plans.versions("shop")).containsExactly(1, 2);
    Files.delete(v2);
    plans.reload();
    assertThat(plans.versions("shop")).containsExactly(1);
  }

  @Test
  void localRefsResolveWithinTheirOwnSchemaEvenWhenTwoSchemasUseTheSameDefinitionNames()
      throws Exception {
    Path file =
        write(
            "refs.yaml",
            """
        id: shop
        version: 1
        events:
          Text Event:
            event_properties:
              $defs: { t: { type: string } }
              type: object
              properties: { v: { $ref: "#/$defs/t" } }
          Number Event:
            event_properties:
              $defs: { t: { type: integer } }
              type: object
              properties: { v: { $ref: "#/$defs/t" } }
        """);
    Enforcer enforcer =
        TrackingPlans.loadStrict(file)
            .enforcer(
                "s",
                java.util.Map.of("id", "shop"),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
                new ViolationLog(1));
    assertThat(
            enforcer
                .evaluate(Fixtures.event("Text Event", java.util.Map.of("v", "x")))
                .violations())
        .isEmpty();
    assertThat(
            enforcer
                .evaluate(Fixtures.event("Number Event", java.util.Map.of("v", 1)))
                .violations())
        .isEmpty();
    assertThat(
            enforcer
                .evaluate(Fixtures.event("Number Event", java.util.Map.of("v", "x")))
                .violations())
        .extracting(dev.weir.sdk.Violation::type)
        .containsExactly("type-mismatch");
    assertThat(
            enforcer.evaluate(Fixtures.event("Text Event", java.util.Map.of("v", 1))).violations())
        .extracting(dev.weir.sdk.Violation::type)
        .containsExactly("type-mismatch");
  }

  @Test
  void aRefToARemoteDocumentIsRejectedAtLoadInsteadOfBeingFetched() throws Exception {
    Path file =
        write(
            "remote.yaml",
            plan(
                1,
                """
        type: object
        properties:
          price: { $ref: "https://schemas.example.com/money.json" }
        """));
    assertThatThrownBy(() -> TrackingPlans.loadStrict(file))
        .isInstanceOfSatisfying(
            PlanLoadException.class,
            e -> {
              assertThat(e.event()).isEqualTo("Item Bought");
              assertThat(e.reason()).contains("https://schemas.example.com/money.json");
            });
  }

  @Test
  void closedNestedObjectsReportTheirExtraPropertiesAsUnplannedAndOmitRemovesExactlyThem()
      throws Exception {
    Path file =
        write(
            "closed.yaml",
            """
        id: shop
        version: 1
        events:
          Item Bought:
            event_properties:
              type: object
              properties:
                item:
                  type: object
                  properties: { sku: { type: string } }
                  additionalProperties: false
                meta:
                  type: object
                  properties: { a: { type: string } }
                  unevaluatedProperties: false
        """);
    Enforcer enforcer =
        TrackingPlans.loadStrict(file)
            .enforcer(
                "s",
                java.util.Map.of("id", "shop", "on_unplanned_property", "omit"),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
                new ViolationLog(1));
    Decision d =
        enforcer.evaluate(
            Fixtures.event(
                "Item Bought",
                java.util.Map.of(
                    "item",
                    java.util.Map.of("sku", "a", "colour", "red"),
                    "meta",
                    java.util.Map.of("a", "x", "b", "y"))));
    assertThat(d.violations())
        .extracting(dev.weir.sdk.Violation::type, dev.weir.sdk.Violation::field)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                "unplanned-property", "event_properties.item.colour"),
            org.assertj.core.groups.Tuple.tuple("unplanned-property", "event_properties.meta.b"));
    assertThat(d.outcome()).isEqualTo(Decision.Outcome.TRIMMED);
    assertThat(d.event().eventProperties())
        .isEqualTo(
            java.util.Map.of(
                "item", java.util.Map.of("sku", "a"), "meta", java.util.Map.of("a", "x")));
  }
}
