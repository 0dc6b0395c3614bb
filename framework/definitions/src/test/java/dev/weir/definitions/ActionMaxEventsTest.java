package dev.weir.definitions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.sdk.Event;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An action's max_events caps its requests below the definition's batch size. */
class ActionMaxEventsTest {
  @Test
  void anActionWithMaxEventsOneSendsOneRequestPerEventWhileOthersBatch() throws Exception {
    Definition d =
        Definitions.parse(
            "m.yaml",
            """
            apiVersion: weir.dev/v1
            kind: Destination
            metadata: {id: m, name: M, version: 1.0.0, partner: Test, category: analytics}
            settings: {type: object, properties: {}}
            requests:
              - name: identify
                trigger: {event_types: [$identify]}
                method: POST
                url: https://api.example.com/identify
                max_events: 1
                body: '{"id": event.user_id}'
              - name: track
                trigger: {where: "true"}
                method: POST
                url: https://api.example.com/track
                body: '{"ids": [events.user_id]}'
            delivery: {mode: batch, batch: {max_events: 10}}
            tests:
              - {name: t, events: [{event_type: A}], expect: {}}
            """);
    List<Event> events =
        List.of(
            Event.fromMap(Map.of("event_type", "$identify", "user_id", "a")),
            Event.fromMap(Map.of("event_type", "X", "user_id", "b")),
            Event.fromMap(Map.of("event_type", "$identify", "user_id", "c")),
            Event.fromMap(Map.of("event_type", "Y", "user_id", "d")));
    DryRun.Result r = DryRun.render(d, Map.of(), events, List.of(), 0);
    assertThat(r.requests())
        .extracting(DryRun.Rendered::url, DryRun.Rendered::events)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("https://api.example.com/identify", List.of(0)),
            org.assertj.core.groups.Tuple.tuple("https://api.example.com/identify", List.of(2)),
            org.assertj.core.groups.Tuple.tuple("https://api.example.com/track", List.of(1, 3)));
    assertThat(r.requests().get(1).body()).contains("\"c\"");
  }
}
