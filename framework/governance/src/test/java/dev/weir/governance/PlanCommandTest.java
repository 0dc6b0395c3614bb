package dev.weir.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PlanCommandTest {
  static final Path V2 = Fixtures.EXAMPLES.resolve("ecommerce-v2.yaml");
  static final Path V3 = Fixtures.EXAMPLES.resolve("ecommerce-v3.yaml");
  static final Path EVENTS = Fixtures.EXAMPLES.resolve("ecommerce-events.ndjson");

  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new PlanCommand());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int exit = cmd.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void checkPrintsATableOfViolationsByEventTypeAndFieldAndExitsOneWhenSomethingWouldBeBlocked() {
    Run r = run("check", "--plan", V3.toString(), EVENTS.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out())
        .contains(
            "Checked 14 events against ecommerce (versions [3]): 4 passed, 1 flagged, "
                + "0 trimmed, 9 blocked, 0 unreadable");
    assertThat(r.out()).containsPattern("EVENT TYPE +FIELD +VIOLATION +COUNT +ACTION");
    assertThat(r.out())
        .containsPattern("Product Added +event_properties\\.quantity +type-mismatch +1 +block");
    assertThat(r.out())
        .containsPattern(
            "Cart Viewed +event_properties\\.debug_build +unplanned-property +1 +keep");
    assertThat(r.out()).containsPattern("Wishlist Added +event_type +unplanned-event +2 +block");
    assertThat(r.out())
        .containsPattern(
            "\\$identify +user_properties\\.\\$set\\.favourite_colour +unplanned-property +1 +keep");
  }

  @Test
  void checkExitsZeroWhenThePolicyOnlyFlags() {
    Run r =
        run(
            "check",
            "--plan",
            V3.toString(),
            "--on-unplanned-event",
            "flag",
            "--on-invalid-value",
            "flag",
            EVENTS.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("0 blocked")
        .containsPattern("Product Added +event_properties\\.price " + "+required-missing +1 +flag");
  }

  @Test
  void checkAgainstADirectoryHonoursTheVersionEachEventNames() {
    Run r =
        run(
            "check",
            "--plan",
            Fixtures.EXAMPLES.toString(),
            "--plan-id",
            "ecommerce",
            EVENTS.toString());
    assertThat(r.out()).contains("(versions [2, 3])");
    // Both "Wishlist Added" events name no version or version 2: only the one without is unplanned.
    assertThat(r.out()).containsPattern("Wishlist Added +event_type +unplanned-event +1 +block");
  }

  @Test
  void checkReportsUnreadableLinesByNumberAndStillChecksTheRest() throws Exception {
    Path events =
        Files.writeString(
            dir.resolve("e.ndjson"),
            """
        {"event_type":"Cart Viewed","user_id":"u","event_properties":{"item_count":1}}
        {"event_type":"Cart Viewed",
        {"event_type":"Cart Viewed","user_id":"u","colour":"red"}
        {"event_type":"Cart Viewed","user_id":"u","event_properties":{"item_count":2}}
        """);
    Run r = run("check", "--plan", V3.toString(), events.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out())
        .contains(
            "Checked 4 events against ecommerce (versions [3]): 2 passed, 0 flagged, "
                + "0 trimmed, 0 blocked, 2 unreadable");
    assertThat(r.out())
        .contains("unreadable e.ndjson:2: ")
        .contains("unreadable e.ndjson:3: unknown event field " + "'colour'");
  }

  @Test
  void checkOfCleanEventsExitsZeroWithoutATable() throws Exception {
    Path events =
        Files.writeString(
            dir.resolve("ok.ndjson"),
            "{\"event_type\":\"Cart Viewed\",\"user_id\":\"u\",\"event_properties\":{\"item_count\":1}}\n");
    Run r = run("check", "--plan", V3.toString(), events.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("1 passed").doesNotContain("EVENT TYPE");
  }

  @Test
  void checkExitsTwoAndNamesThePathWhenThePlanDoesNotLoad() throws Exception {
    Path plan =
        Files.writeString(
            dir.resolve("bad.yaml"),
            """
        id: shop
        version: 1
        events:
          Item Bought:
            event_properties: { type: object, properties: { price: { minimum: "zero" } } }
        """);
    Run r = run("check", "--plan", plan.toString(), EVENTS.toString());
    assertThat(r.exit()).isEqualTo(PlanCommand.EXIT_BAD_PLAN);
    assertThat(r.err())
        .contains("bad.yaml")
        .contains("Item Bought")
        .contains("$.events['Item Bought'].event_properties.properties.price.minimum");
  }

  @Test
  void diffMarksRemovedEventsNewlyRequiredPropertiesAndNarrowedTypesAsBreaking() {
    Run r = run("diff", V2.toString(), V3.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("ecommerce: version 2 -> 3");
    assertThat(r.out()).containsPattern("(?m)^BREAKING +removed event +Wishlist Added$");
    assertThat(r.out())
        .containsPattern("(?m)^BREAKING +newly required +Product Added: event_properties\\.price$");
    assertThat(r.out())
        .containsPattern(
            "(?m)^BREAKING +narrowed type +Product Viewed: event_properties\\.price "
                + "\\(number\\|string -> number\\)$");
    assertThat(r.out())
        .containsPattern(
            "(?m)^BREAKING +newly required +Order Completed: " + "event_properties\\.currency$");
    assertThat(r.out()).containsPattern("(?m)^ +added event +Checkout Started$");
    assertThat(r.out()).containsPattern("(?m)^ +widened enum +user_properties\\.plan");
    assertThat(r.out())
        .containsPattern("(?m)^ +added property +Product Added: event_properties\\.variant$");
    assertThat(r.out())
        .containsPattern(
            "(?m)^BREAKING +narrowed range +Product Added: "
                + "event_properties\\.quantity \\(maximum: none -> 99\\)$");
  }

  @Test
  void diffInTheOtherDirectionMarksRemovalsAndNarrowingsTheOtherWay() {
    Run r = run("diff", V3.toString(), V2.toString());
    assertThat(r.out()).containsPattern("(?m)^BREAKING +removed event +Checkout Started$");
    assertThat(r.out())
        .containsPattern("(?m)^ +widened type +Product Viewed: event_properties\\.price");
    assertThat(r.out()).containsPattern("(?m)^BREAKING +narrowed enum +user_properties\\.plan");
    assertThat(r.out())
        .containsPattern("(?m)^ +now optional +Product Added: event_properties\\.price$");
  }

  @Test
  void diffCanFailCiOnBreakingChangesAndReportsIdenticalPlansAsUnchanged() {
    assertThat(run("diff", "--fail-on-breaking", V2.toString(), V3.toString()).exit()).isEqualTo(1);
    Run same = run("diff", "--fail-on-breaking", V3.toString(), V3.toString());
    assertThat(same.exit()).isZero();
    assertThat(same.out()).contains("0 breaking, 0 other changes");
  }

  @Test
  void planWithoutASubcommandIsAUsageError() {
    Run r = run();
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("missing subcommand");
  }

  @Test
  void theB2bSaasSampleEventsShowTheirViolationsAgainstTheDraft07Plan() {
    Run r =
        run(
            "check",
            "--plan",
            Fixtures.EXAMPLES.resolve("b2b-saas-v1.yaml").toString(),
            Fixtures.EXAMPLES.resolve("b2b-saas-events.ndjson").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out())
        .contains(
            "Checked 12 events against saas (versions [1]): 5 passed, 0 flagged, 0 trimmed, "
                + "7 blocked, 0 unreadable");
    assertThat(r.out())
        .containsPattern(
            "\\$groupidentify +group_properties\\.\\$set\\.seats +value-invalid +1 +block");
    assertThat(r.out())
        .containsPattern(
            "Subscription Upgraded +event_properties\\.seats +value-invalid +1 +block");
    assertThat(r.out())
        .containsPattern("Dashboard Exported +event_type +unplanned-event +1 +block");
  }

  @Test
  void aPinnedPlanVersionAppliesToEventsThatNameNone() {
    Run r =
        run(
            "check",
            "--plan",
            Fixtures.EXAMPLES.toString(),
            "--plan-id",
            "ecommerce",
            "--plan-version",
            "2",
            EVENTS.toString());
    assertThat(r.out()).doesNotContain("Wishlist Added").contains("(versions [2, 3])");
  }

  @Test
  void everyCommandPrintsItsHelp() {
    for (String[] args : new String[][] {{"--help"}, {"check", "--help"}, {"diff", "--help"}}) {
      Run r = run(args);
      assertThat(r.exit()).as(String.join(" ", args)).isZero();
      assertThat(r.out()).startsWith("Usage: plan");
    }
  }
}
