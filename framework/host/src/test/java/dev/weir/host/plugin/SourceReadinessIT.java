package dev.weir.host.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.host.TestSupport;
import dev.weir.host.Weir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real host with a real plugin source that submits while the host is still starting: its own
 * submit is refused "not ready", and a client of the HTTP source (started just before it) gets 503
 * with {@code Retry-After}, until the host has started every part; then both go through.
 */
class SourceReadinessIT {
  private static final String KEY = "readiness-it-write-key";

  /**
   * A source that, inside its own start(), submits one event and posts one to the HTTP source,
   * writing what each got to {@code <out>/during-start.txt}; then it retries its event on a thread
   * of its own until the host takes it (as a source does after "not ready").
   */
  static final String EARLY_SOURCE =
      """
      package com.example.weirplugin;

      import dev.weir.sdk.ConnectorSpec;
      import dev.weir.sdk.Event;
      import dev.weir.sdk.SourceConnector;
      import dev.weir.sdk.SourceContext;
      import java.net.URI;
      import java.net.http.HttpClient;
      import java.net.http.HttpRequest;
      import java.net.http.HttpResponse;
      import java.nio.file.Files;
      import java.nio.file.Path;
      import java.util.List;
      import java.util.concurrent.ExecutionException;
      import java.util.concurrent.TimeUnit;
      import org.pf4j.Extension;

      @Extension
      public class EarlySource extends SourceConnector {
        private volatile boolean stopped;

        @Override
        public ConnectorSpec spec() {
          return ConnectorSpec.builder("early").version("1.0.0").displayName("Early (test plugin)")
              .settingsSchema("{\\"type\\":\\"object\\",\\"required\\":[\\"out\\",\\"url\\",\\"key\\"],"
                  + "\\"properties\\":{\\"out\\":{\\"type\\":\\"string\\"},\\"url\\":{\\"type\\":\\"string\\"},"
                  + "\\"key\\":{\\"type\\":\\"string\\"}}}")
              .build();
        }

        private static List<Event> own() {
          return List.of(Event.builder().eventType("Own").userId("early").insertId("own-1").build());
        }

        @Override
        public void start(SourceContext context) throws Exception {
          Path out = Path.of(context.settings().requireString("out"));
          StringBuilder log = new StringBuilder();
          try {
            context.submit(own()).toCompletableFuture().get(10, TimeUnit.SECONDS);
            log.append("own: accepted\\n");
          } catch (ExecutionException e) {
            log.append("own: ").append(e.getCause().getClass().getSimpleName()).append(": ")
                .append(e.getCause().getMessage()).append('\\n');
          }
          HttpResponse<String> r = HttpClient.newHttpClient().send(
              HttpRequest.newBuilder(URI.create(context.settings().requireString("url")))
                  .header("Authorization", "Bearer " + context.settings().requireString("key"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(
                      "[{\\"event_type\\":\\"Client\\",\\"user_id\\":\\"c\\",\\"insert_id\\":\\"client-1\\"}]"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
          log.append("http: ").append(r.statusCode()).append(" retry-after=")
              .append(r.headers().firstValue("Retry-After").orElse("none")).append(' ')
              .append(r.body()).append('\\n');
          Files.writeString(out.resolve("during-start.txt"), log.toString());
          Thread retry = new Thread(() -> {
            while (!stopped) {
              try {
                context.submit(own()).toCompletableFuture().get(10, TimeUnit.SECONDS);
                Files.writeString(out.resolve("accepted.txt"), "accepted");
                return;
              } catch (Exception e) {
                try {
                  Thread.sleep(50); // the source's own retry backoff
                } catch (InterruptedException ie) {
                  return;
                }
              }
            }
          }, "early-source-retry");
          retry.setDaemon(true);
          retry.start();
        }

        @Override
        public void stop() {
          stopped = true;
        }
      }
      """;

  @TempDir Path dir;

  @Test
  void aSourceSubmittingDuringItsOwnStartIsRefusedNotReadyUntilTheHostIsReady() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    PluginJars.build(plugins, "early-plugin", EARLY_SOURCE, true, false);
    int port = TestSupport.freePort();
    String url = "http://127.0.0.1:" + port + "/v1/events";
    Files.writeString(
        dir.resolve("workspace.yaml"),
        """
        plugins_dir: "%s"
        store: { dir: "%s/store", partitions: 1 }
        sources:
          - id: web
            type: http
            settings: { host: 127.0.0.1, port: %d, write_keys: [ "%s" ] }
          - id: early
            type: early
            settings: { out: "%s", url: "%s", key: "%s" }
        destinations:
          - id: files
            type: file
            settings: { dir: "%s/out" }
            delivery: { max_batch_delay_ms: 0 }
        routes:
          - { from: web, to: [ files ] }
          - { from: early, to: [ files ] }
        """
            .formatted(plugins, dir, port, KEY, dir, url, KEY, dir));
    try (Weir weir = Weir.builder().workspace(dir.resolve("workspace.yaml")).start()) {
      String during = Files.readString(dir.resolve("during-start.txt"));
      assertThat(during)
          .contains("own: StoreUnavailableException")
          .contains("not ready")
          .containsPattern("http: 503 retry-after=1 .*not ready");
      assertThat(weir.ready()).isTrue();
      // once ready, the same client is accepted and the source's retry goes through
      String[] now =
          TestSupport.post(
              new OkHttpClient(),
              url,
              KEY,
              "[{\"event_type\":\"Client\",\"user_id\":\"c\",\"insert_id\":\"client-1\"}]");
      assertThat(now[0]).isEqualTo("200");
      await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(dir.resolve("accepted.txt")));
      assertThat(weir.store().stats().stored()).isEqualTo(2);
    }
  }
}
