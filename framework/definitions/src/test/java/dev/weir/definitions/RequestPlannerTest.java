package dev.weir.definitions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.sdk.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Routing, batch keys, count and byte limits, and the idempotency header, without HTTP. */
class RequestPlannerTest {
  static Definition def(String delivery) throws DefinitionException {
    return Definitions.parse(
        "p.yaml",
        """
        apiVersion: weir.dev/v1
        kind: Destination
        metadata: {id: p, name: P, version: 1.0.0, partner: P, category: other}
        requests:
          - name: buy
            trigger: {event_types: [Buy]}
            method: POST
            url: https://x.example/buy
            body: '{"n": [events.insert_id]}'
          - name: rest
            trigger: {where: "event_type != 'Ignore'"}
            method: PUT
            url: https://x.example/rest
            body: '{"n": [events.insert_id]}'
        %s
        tests:
          - {name: t, events: [{event_type: X}], expect: {}}
        """
            .formatted(delivery));
  }

  static List<Event> events(String... typesAndUsers) {
    List<Event> out = new ArrayList<>();
    for (int i = 0; i < typesAndUsers.length; i++) {
      String[] tu = typesAndUsers[i].split("/");
      out.add(
          Event.builder()
              .eventType(tu[0])
              .userId(tu.length > 1 ? tu[1] : null)
              .insertId("i" + i)
              .build());
    }
    return out;
  }

  @Test
  void eventsGoToTheFirstMatchingActionAndUnmatchedOnesAreSkipped() throws Exception {
    RequestPlanner.Plan plan =
        new RequestPlanner(def("delivery: {mode: batch}"), Map.of())
            .plan(events("Buy", "View", "Ignore", "Buy"), 0);
    assertThat(plan.requests()).extracting(PlannedRequest::action).containsExactly("buy", "rest");
    assertThat(plan.requests().get(0).events()).containsExactly(0, 3);
    assertThat(plan.requests().get(1).method()).isEqualTo("PUT");
    assertThat(plan.skipped()).containsExactly(2);
  }

  @Test
  void theBatchKeySeparatesUsersAndMaxEventsChunksEachGroup() throws Exception {
    Definition d = def("delivery: {mode: batch, batch: {max_events: 2, key: \"user_id\"}}");
    RequestPlanner.Plan plan =
        new RequestPlanner(d, Map.of())
            .plan(events("Buy/a", "Buy/b", "Buy/a", "Buy/a", "Buy/b"), 0);
    assertThat(plan.requests())
        .extracting(PlannedRequest::events)
        .containsExactly(List.of(0, 2), List.of(3), List.of(1, 4));
    assertThat(d.batchKeyFunction().apply(events("Buy/zed").get(0))).isEqualTo("zed");
  }

  @Test
  void streamModeSendsOneRequestPerEventWithItsInsertIdAsIdempotencyKey() throws Exception {
    RequestPlanner.Plan plan =
        new RequestPlanner(def("delivery: {mode: stream, idempotency_header: Idem}"), Map.of())
            .plan(events("Buy", "Buy"), 0);
    assertThat(plan.requests()).hasSize(2);
    assertThat(plan.requests())
        .extracting(r -> r.headers().get("Idem"))
        .containsExactly("i0", "i1");
  }

  @Test
  void anEventTooLargeOnItsOwnIsRejectedAndItsNeighboursStillGo() throws Exception {
    Definition d =
        Definitions.parse(
            "big.yaml",
            """
        apiVersion: weir.dev/v1
        kind: Destination
        metadata: {id: big, name: Big, version: 1.0.0, partner: P, category: other}
        requests:
          - name: a
            trigger: {where: "true"}
            method: POST
            url: https://x.example/
            body: '{"e": [events.event_properties]}'
        delivery: {mode: batch, batch: {max_events: 10, max_bytes: 300}}
        tests:
          - {name: t, events: [{event_type: X}], expect: {}}
        """);
    List<Event> evs =
        List.of(
            Event.builder().eventType("X").eventProperties(Map.of("s", "small")).build(),
            Event.builder().eventType("X").eventProperties(Map.of("s", "y".repeat(400))).build(),
            Event.builder().eventType("X").eventProperties(Map.of("s", "small too")).build());
    RequestPlanner.Plan plan = new RequestPlanner(d, Map.of()).plan(evs, 0);
    assertThat(plan.rejected()).containsOnlyKeys(1);
    assertThat(plan.rejected().get(1)).contains("exceeds max_bytes 300");
    assertThat(plan.requests())
        .flatExtracting(PlannedRequest::events)
        .containsExactlyInAnyOrder(0, 2);
    assertThat(plan.requests())
        .allSatisfy(r -> assertThat(r.body().length).isLessThanOrEqualTo(300));
  }
}
