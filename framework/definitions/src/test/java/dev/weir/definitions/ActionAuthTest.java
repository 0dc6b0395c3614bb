package dev.weir.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.sdk.Event;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** An action may declare its own auth, which replaces the definition's for that action only. */
class ActionAuthTest {
  @StartStop final MockWebServer server = new MockWebServer();

  static final String YAML =
      """
      apiVersion: weir.dev/v1
      kind: Destination
      metadata: {id: two-auths, name: Two auths, version: 1.0.0, partner: Test, category: analytics}
      settings:
        type: object
        properties:
          base_url: {type: string}
          api_key: {type: string, secret: true}
          secret_key: {type: string, secret: true}
      auth: {kind: api_key, in: header, name: X-Api-Key, value: "{{ settings.api_key }}"}
      requests:
        - name: delete_user
          trigger: {event_types: [weir_delete_user]}
          method: POST
          url: "{{ settings.base_url }}/deletions"
          auth: {kind: basic, username: "{{ settings.api_key }}", password: "{{ settings.secret_key }}"}
          body: '{"user_ids": [event.user_id]}'
        - name: track
          trigger: {where: "true"}
          method: POST
          url: "{{ settings.base_url }}/track"
          body: '{"events": [events.{"e": event_type}]}'
      delivery: {mode: stream}
      tests:
        - name: t
          settings: {base_url: "https://api.example.com", api_key: "key-1", secret_key: "sec-2"}
          events: [{event_type: A}, {event_type: weir_delete_user, user_id: u1}]
          expect:
            requests:
              - {method: POST, url: "https://api.example.com/track", headers: {X-Api-Key: "****"}}
              - {method: POST, url: "https://api.example.com/deletions", headers: {Authorization: "Basic ****"}}
      """;

  @Test
  void theDeleteActionIsSignedWithItsOwnBasicAuthAndTrackWithTheApiKey() throws Exception {
    Definition d = Definitions.parse("two.yaml", YAML);
    assertThat(FixtureRunner.run(d))
        .allSatisfy(r -> assertThat(r.passed()).as(r.diff().toString()).isTrue());
    server.enqueue(new MockResponse.Builder().code(200).body("{}").build());
    server.enqueue(new MockResponse.Builder().code(200).body("{}").build());
    var dest = Definitions.destination(d);
    dest.start(
        new LocalContext(
            "two",
            Map.of(
                "base_url", server.url("").toString().replaceAll("/$", ""),
                "api_key", "key-1",
                "secret_key", "sec-2"),
            new OkHttpClient()));
    dest.deliver(List.of(Event.builder().eventType("A").insertId("a").build()));
    dest.deliver(
        List.of(Event.builder().eventType("weir_delete_user").userId("u1").insertId("d").build()));
    RecordedRequest track = server.takeRequest();
    RecordedRequest delete = server.takeRequest();
    assertThat(track.getUrl().encodedPath()).isEqualTo("/track");
    assertThat(track.getHeaders().get("X-Api-Key")).isEqualTo("key-1");
    assertThat(track.getHeaders().get("Authorization")).isNull();
    assertThat(delete.getUrl().encodedPath()).isEqualTo("/deletions");
    assertThat(delete.getHeaders().get("Authorization"))
        .isEqualTo(okhttp3.Credentials.basic("key-1", "sec-2"));
    assertThat(delete.getHeaders().get("X-Api-Key")).isNull();
  }

  @Test
  void anActionCannotDeclareOAuth2OrAHardCodedCredential() {
    assertThatThrownBy(
            () ->
                Definitions.parse(
                    "two.yaml",
                    YAML.replace(
                        "auth: {kind: basic, username: \"{{ settings.api_key }}\", password: \"{{ settings.secret_key }}\"}",
                        "auth: {kind: bearer, token: \"hard-coded\"}")))
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("/requests/0/auth/token")
        .hasMessageContaining("secret setting");
    assertThatThrownBy(
            () ->
                Definitions.parse(
                    "two.yaml",
                    YAML.replace(
                        "auth: {kind: basic, username: \"{{ settings.api_key }}\", password: \"{{ settings.secret_key }}\"}",
                        "auth: {kind: oauth2, grant: client_credentials, token_url: \"https://x/t\", client_id: \"{{ settings.api_key }}\", client_secret: \"{{ settings.secret_key }}\"}")))
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("/requests/0/auth/kind");
  }
}
