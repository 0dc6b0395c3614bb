package dev.weir.delivery;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A MockWebServer dispatcher acting as a destination's HTTP endpoint: a policy decides each
 * response from the request number and the posted events; events the answer accepted (2xx, or 2xx
 * in a multi-status entry) are recorded by insert id, so tests can check "every event arrived, none
 * twice".
 */
final class Receiver extends Dispatcher {
  private final BiFunction<Integer, List<Map<String, Object>>, MockResponse> policy;
  final AtomicInteger requests = new AtomicInteger();
  final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
  final List<String> acceptedInOrder = new CopyOnWriteArrayList<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

  Receiver(BiFunction<Integer, List<Map<String, Object>>, MockResponse> policy) {
    this.policy = policy;
  }

  static Receiver alwaysOk() {
    return new Receiver((n, events) -> ok());
  }

  static MockResponse ok() {
    return new MockResponse.Builder().code(200).body("{\"ok\":true}").build();
  }

  static MockResponse status(int code, String body) {
    return new MockResponse.Builder().code(code).body(body).build();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    int n = requests.incrementAndGet();
    authorizations.add(String.valueOf(request.getHeaders().get("Authorization")));
    List<Map<String, Object>> events = events(request);
    batchSizes.add(events.size());
    MockResponse response = policy.apply(n, events);
    if (response.getCode() >= 200 && response.getCode() < 300) {
      String body = response.getBody() == null ? "" : bodyText(response);
      List<?> results = null;
      if (body.contains("\"results\"")) {
        try {
          results =
              (List<?>)
                  DeliveryJson.MAPPER
                      .readValue(body, new TypeReference<Map<String, Object>>() {})
                      .get("results");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      for (int i = 0; i < events.size(); i++) {
        boolean ok =
            results == null
                || ((Number) ((Map<?, ?>) results.get(i)).get("status")).intValue() / 100 == 2;
        if (ok) {
          String id = (String) events.get(i).get("insert_id");
          accepted.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
          acceptedInOrder.add(id);
        }
      }
    }
    return response;
  }

  private static String bodyText(MockResponse response) {
    okio.Buffer buffer = new okio.Buffer();
    try {
      response.getBody().writeTo(buffer);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.readUtf8();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> events(RecordedRequest request) {
    try {
      Map<String, Object> body =
          DeliveryJson.MAPPER.readValue(
              request.getBody().utf8(), new TypeReference<Map<String, Object>>() {});
      return (List<Map<String, Object>>) body.get("events");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int distinctAccepted() {
    return accepted.size();
  }

  boolean noDuplicates() {
    return accepted.values().stream().allMatch(c -> c.get() == 1);
  }
}
