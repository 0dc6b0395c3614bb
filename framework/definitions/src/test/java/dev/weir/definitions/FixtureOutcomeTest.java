package dev.weir.definitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A fixture's expected outcome may pin the reason and the Retry-After, compared as a prefix. */
class FixtureOutcomeTest {
  static Definition withExpected(String outcomes, String responses) throws DefinitionException {
    return Definitions.parse(
        "f.yaml",
        """
        apiVersion: weir.dev/v1
        kind: Destination
        metadata: {id: f, name: F, version: 1.0.0, partner: Test, category: analytics}
        settings: {type: object, properties: {}}
        requests:
          - name: track
            trigger: {where: "true"}
            method: POST
            url: "https://api.example.com/track"
            body: '{"events": [events.{"id": insert_id}]}'
        delivery: {mode: batch, batch: {max_events: 10}, retry: {success: [2xx], retry: [429, 5xx], drop: [4xx]}}
        responses:
          status: "code = 0 ? 200 : code = 9 ? 429 : code = 3 ? 400 : $status"
          errors: "failed"
          index: "i"
          reason: "why"
        tests:
          - name: t
            events: [{event_type: A, insert_id: a}, {event_type: B, insert_id: b}]
            responses: [%s]
            expect: {outcomes: [%s]}
        """
            .formatted(responses, outcomes));
  }

  static boolean passes(String outcomes, String responses) throws DefinitionException {
    List<FixtureRunner.Result> r = FixtureRunner.run(withExpected(outcomes, responses));
    return r.get(0).passed();
  }

  @Test
  void theRetryAfterOfA429IsPartOfTheOutcomeAndAWrongValueFails() throws Exception {
    String limited = "{status: 429, headers: {Retry-After: '30'}, body: {message: slow down}}";
    assertThat(passes("'retry after 30s: HTTP 429', retry", limited)).isTrue();
    assertThat(passes("'retry after 31s', retry", limited)).isFalse();
    assertThat(passes("retry, retry", limited)).isTrue();
  }

  @Test
  void aPerEventReasonFromTheBodyIsComparedAsAPrefix() throws Exception {
    String partial = "{status: 200, body: {code: 0, failed: [{i: 1, why: INVALID_EMAIL}]}}";
    assertThat(passes("delivered, 'rejected: HTTP 200: INVALID_EMAIL'", partial)).isTrue();
    assertThat(passes("delivered, 'rejected: HTTP 200: MISSING_ID'", partial)).isFalse();
  }

  @Test
  void aStatusReadFromTheBodyDecidesTheOutcomeOfA200() throws Exception {
    String throttled = "{status: 200, body: {code: 9}}";
    assertThat(passes("'retry: HTTP 200 (body status 429)', retry", throttled)).isTrue();
    assertThat(
            passes(
                "'rejected: HTTP 200 (body status 400)', rejected",
                "{status: 200, body: {code: 3}}"))
        .isTrue();
  }

  @Test
  void anOutcomeThatIsNotOneOfTheThreeWordsIsAValidationError() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> withExpected("delivred, delivered", "{status: 200, body: {code: 0}}"))
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("/expect/outcomes/0");
  }

  @Test
  void md5IsAvailableForApisThatNameRecordsByIt() {
    // Mailchimp's subscriber hash of "urist.mcvankab@freddiesjokes.com", from its API reference
    assertThat(MappingFunctions.md5("urist.mcvankab@freddiesjokes.com"))
        .isEqualTo("62eeb292278cc15f5817cb78f7790b08");
  }
}
