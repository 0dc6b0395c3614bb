package dev.weir.host.bench;

import java.nio.charset.StandardCharsets;

/**
 * The request bodies of {@code weir bench ingest}: Amplitude HTTP V2 bodies of {@code n} events,
 * every event with its own insert id, user id and device id. The same template as {@code
 * amplitude.lua}, so the in-process parse-only ceiling parses what wrk sends, and the body
 * benchmarks/ParseToRecordBenchmark parses. Stateless.
 */
public final class BenchBodies {
  private BenchBodies() {}

  /**
   * One body; {@code prefix} makes the ids unique (thread and request number in the Lua script).
   */
  public static byte[] body(String apiKey, String prefix, int n) {
    StringBuilder sb = new StringBuilder(n * 330 + 64);
    sb.append("{\"api_key\":\"").append(apiKey).append("\",\"events\":[");
    for (int i = 1; i <= n; i++) {
      if (i > 1) {
        sb.append(',');
      }
      String id = prefix + i;
      sb.append("{\"event_type\":\"Viewed Item\",\"user_id\":\"user-")
          .append(id)
          .append("\",\"device_id\":\"device-")
          .append(id)
          .append("\",\"insert_id\":\"ins-")
          .append(id)
          .append("\",\"time\":1700000000000,\"event_properties\":{\"item\":\"sku-")
          .append(i)
          .append("\",\"price\":12.5,\"tags\":[\"a\",\"b\"],\"count\":")
          .append(i)
          .append(
              "},\"platform\":\"Web\",\"os_name\":\"Chrome\",\"app_version\":\"2.1.0\","
                  + "\"country\":\"Germany\"}");
    }
    return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }
}
