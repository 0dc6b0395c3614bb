package dev.weir.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.definitions.Definition;
import dev.weir.definitions.Definitions;
import dev.weir.delivery.DestinationConfig;
import dev.weir.host.config.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partner definition carries its delivery policy into the host's engine config; each key the
 * workspace's {@code delivery:} sets wins.
 */
class DefinitionPolicyTest {
  @TempDir Path dir;

  @Test
  void theDefinitionsBatchingRateLimitAndRetriesApplyAndTheWorkspaceOverridesPerKey()
      throws Exception {
    Files.createDirectories(dir.resolve("defs"));
    Path defFile = dir.resolve("defs/tiny.yaml");
    Files.writeString(
        defFile,
        """
        apiVersion: weir.dev/v1
        kind: Destination
        metadata: {id: tiny, name: Tiny, version: 1.0.0, partner: P, category: other}
        settings:
          type: object
          properties:
            base_url: {type: string}
        requests:
          - name: send
            trigger: {where: "true"}
            method: POST
            url: "{{ settings.base_url }}/in"
            body: '{"n": $count(events)}'
        delivery:
          mode: batch
          batch: {max_events: 50, max_delay_ms: 100, key: "user_id"}
          rate_limit: {requests_per_second: 5, events_per_second: 200}
          retry: {max_attempts: 4, max_age_ms: 60000}
        tests:
          - {name: t, settings: {base_url: "https://x"}, events: [{event_type: X}], expect: {}}
        """);
    Files.writeString(
        dir.resolve("workspace.yaml"),
        """
        store: { dir: "%s/store" }
        definitions_dir: defs
        sources:
          - { id: web, type: http, settings: { port: 0, write_keys: [ "k-123456" ] } }
        destinations:
          - id: tiny
            definition: tiny@1.0.0
            settings: { base_url: "https://partner.example" }
            delivery: { max_attempts: 9 }
        routes:
          - { from: web, to: [ tiny ] }
        """
            .formatted(dir));
    Definition def = Definitions.parse(defFile);
    try (Weir.Loaded loaded =
        Weir.load(dir.resolve("workspace.yaml"), Map.<String, String>of()::get)) {
      Workspace ws = loaded.workspace();
      Workspace.DestinationConfig d = ws.destination("tiny").orElseThrow();
      DestinationConfig c = EngineSettings.engineConfig(ws, d, def);
      assertThat(c.maxBatchEvents()).as("definition's batch.max_events").isEqualTo(50);
      assertThat(c.maxBatchDelay()).isEqualTo(Duration.ofMillis(100));
      assertThat(c.requestsPerSecond()).as("definition's rate_limit").isEqualTo(5.0);
      assertThat(c.eventsPerSecond()).isEqualTo(200.0);
      assertThat(c.maxRetryAge())
          .as("definition's retry.max_age_ms")
          .isEqualTo(Duration.ofMinutes(1));
      assertThat(c.maxAttempts()).as("the workspace's delivery.max_attempts wins").isEqualTo(9);
      assertThat(
              c.batchKey().apply(dev.weir.sdk.Event.builder().eventType("X").userId("u-7").build()))
          .as("definition's batch.key")
          .isEqualTo("u-7");

      DestinationConfig plain = EngineSettings.engineConfig(ws, d);
      assertThat(plain.requestsPerSecond()).as("without the definition: no limit").isZero();
    }
  }

  @Test
  void aWorkspaceCannotRaiseEventsOrBytesPerRequestAboveTheDefinitionsLimit() throws Exception {
    Files.createDirectories(dir.resolve("defs"));
    Files.writeString(
        dir.resolve("defs/small.yaml"),
        """
        apiVersion: weir.dev/v1
        kind: Destination
        metadata: {id: small, name: Small, version: 1.0.0, partner: P, category: other}
        settings:
          type: object
          properties:
            base_url: {type: string}
        requests:
          - name: send
            trigger: {where: "true"}
            method: POST
            url: "{{ settings.base_url }}/in"
            body: '{"n": $count(events)}'
        delivery:
          mode: batch
          batch: {max_events: 50, max_bytes: 100000, max_delay_ms: 100}
        tests:
          - {name: t, settings: {base_url: "https://x"}, events: [{event_type: X}], expect: {}}
        """);
    Files.writeString(
        dir.resolve("workspace.yaml"),
        """
        store: { dir: "%s/store" }
        definitions_dir: defs
        sources:
          - { id: web, type: http, settings: { port: 0, write_keys: [ "k-123456" ] } }
        destinations:
          - id: lowered
            definition: small@1.0.0
            settings: { base_url: "https://partner.example" }
            delivery: { max_batch_events: 50, max_batch_bytes: 5000 }
          - id: raised
            definition: small@1.0.0
            settings: { base_url: "https://partner.example" }
            delivery: { max_batch_events: 51, max_batch_bytes: 200000 }
        routes:
          - { from: web, to: [ lowered, raised ] }
        """
            .formatted(dir));
    dev.weir.host.config.WorkspaceException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            () -> Weir.load(dir.resolve("workspace.yaml"), Map.<String, String>of()::get).close(),
            dev.weir.host.config.WorkspaceException.class);
    assertThat(e.problems())
        .extracting(p -> p.where() + " " + p.path() + ": " + p.message())
        .containsExactlyInAnyOrder(
            "destination 'raised' delivery.max_batch_events: 51 is above definition 'small@1.0.0'"
                + " batch.max_events 50 (the partner's limit per request): a workspace can only"
                + " lower it",
            "destination 'raised' delivery.max_batch_bytes: 200000 is above definition"
                + " 'small@1.0.0' batch.max_bytes 100000 (the partner's limit per request): a"
                + " workspace can only lower it");
  }
}
