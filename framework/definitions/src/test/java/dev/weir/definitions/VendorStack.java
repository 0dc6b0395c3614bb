package dev.weir.definitions;

import static org.awaitility.Awaitility.await;

import dev.weir.delivery.DeadLetter;
import dev.weir.delivery.DeliveryEngine;
import dev.weir.delivery.DestinationConfig;
import dev.weir.delivery.InMemoryDeliveryLog;
import dev.weir.sdk.Event;
import dev.weir.sdk.StreamingDestination;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * One catalog definition from portal-config-examples/definitions delivering through the real {@link
 * DeliveryEngine} to a MockWebServer that plays the vendor. Every request the definition makes
 * (token endpoints included) keeps its path and query but is sent to the mock; the vendor URL it
 * was meant for travels in the {@code X-Original-Url} header so tests can assert it.
 */
final class VendorStack implements AutoCloseable {
  static final String ORIGINAL_URL = "X-Original-Url";

  final Definition definition;
  final DeliveryEngine engine;
  final InMemoryDeliveryLog log = new InMemoryDeliveryLog(1);
  final LocalContext.MemoryState state = new LocalContext.MemoryState();
  final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private int sent;

  private VendorStack(
      MockWebServer server,
      Path stateDir,
      String file,
      Map<String, ?> settings,
      Function<RecordedRequest, MockResponse> vendor)
      throws Exception {
    this.definition = Definitions.parse(ExamplesTest.EXAMPLES.resolve(file));
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            requests.add(r);
            return vendor.apply(r);
          }
        });
    HttpUrl mock = server.url("/");
    OkHttpClient http =
        new OkHttpClient.Builder()
            .addInterceptor(
                chain -> {
                  HttpUrl original = chain.request().url();
                  HttpUrl to =
                      original
                          .newBuilder()
                          .scheme("http")
                          .host(mock.host())
                          .port(mock.port())
                          .build();
                  return chain.proceed(
                      chain
                          .request()
                          .newBuilder()
                          .url(to)
                          .header(ORIGINAL_URL, original.toString())
                          .build());
                })
            .build();
    StreamingDestination dest = Definitions.destination(definition);
    dest.start(new LocalContext(definition.id(), settings, http, state));
    DeliverySettings s = definition.delivery();
    DestinationConfig.Builder b =
        DestinationConfig.builder(definition.id())
            .maxBatchDelay(Duration.ofMillis(50))
            .initialBackoff(Duration.ofMillis(20))
            .maxBackoff(Duration.ofMillis(500))
            .workers(1)
            .batchKey(definition.batchKeyFunction());
    if (s.maxEvents() > 0) {
      b.maxBatchEvents(s.maxEvents());
    }
    if (s.maxAttempts() > 0) {
      b.maxAttempts(s.maxAttempts());
    }
    this.engine =
        DeliveryEngine.builder()
            .log(log)
            .stateDir(stateDir)
            .stopGrace(Duration.ofSeconds(2))
            .build();
    engine.addDestination(b.build(), dest);
    engine.start();
  }

  static VendorStack start(
      MockWebServer server,
      Path stateDir,
      String file,
      Map<String, ?> settings,
      Function<RecordedRequest, MockResponse> vendor)
      throws Exception {
    return new VendorStack(server, stateDir, file, settings, vendor);
  }

  /** Appends the events to the delivery log and waits until each is delivered or dead-lettered. */
  VendorStack deliver(List<Map<String, Object>> events) {
    for (Map<String, Object> m : events) {
      log.append(Event.fromMap(m));
    }
    sent += events.size();
    engine.signal();
    await().atMost(Duration.ofSeconds(30)).until(() -> delivered() + deadLetters().size() == sent);
    return this;
  }

  long delivered() {
    return engine.status(definition.id()).delivered();
  }

  List<DeadLetter> deadLetters() {
    return engine.deadLetters(definition.id(), null);
  }

  /** Requests to the vendor itself, without token-endpoint calls. */
  List<RecordedRequest> calls(String pathPart) {
    return requests.stream().filter(r -> r.getUrl().encodedPath().contains(pathPart)).toList();
  }

  static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  @Override
  public void close() {
    engine.close();
  }
}
