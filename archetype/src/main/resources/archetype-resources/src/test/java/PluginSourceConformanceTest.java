package ${package};

import dev.weir.sdk.SourceConnector;
import dev.weir.testkit.ConnectorHarness;
import dev.weir.testkit.SourceConformance;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * Runs the Weir source conformance suite against this source: schema completeness, start/stop, one event per
 * record with an insert id, a restart that loses and renames nothing, a store outage that loses nothing, no
 * secret in logs or events. The backend is the harness's MockWebServer serving the records added so far.
 */
class PluginSourceConformanceTest extends SourceConformance {
  private final List<Long> records = new CopyOnWriteArrayList<>();

  @Override
  protected SourceConnector newSource() {
    return new PluginSource();
  }

  @Override
  protected Map<String, Object> settings(ConnectorHarness harness) {
    serve(harness);
    return Map.of("url", harness.server().url("/records").toString(), "api_key", "test-api-key-123",
        "poll_interval_ms", 50);
  }

  @Override
  protected void addRecords(ConnectorHarness harness, int n) {
    serve(harness);
    for (int i = 0; i < n; i++) {
      records.add((long) records.size() + 1);
    }
  }

  private void serve(ConnectorHarness harness) {
    harness.server().setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest r) {
        String since = r.getUrl().queryParameter("since");
        long from = since == null ? 0 : Long.parseLong(since);
        StringBuilder body = new StringBuilder("{\"records\":[");
        String sep = "";
        for (long id : records) {
          if (id > from) {
            body.append(sep).append("{\"id\":").append(id).append(",\"type\":\"Record Added\",\"user_id\":\"u")
                .append(id).append("\"}");
            sep = ",";
          }
        }
        return new MockResponse.Builder().code(200).body(body.append("]}").toString()).build();
      }
    });
  }
}
