package dev.weir.host.pipeline;

import dev.weir.sdk.Ids;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/**
 * What the host shares between connections: one meter registry, one OkHttp connection pool and
 * dispatcher, and the state directory. Thread-safe; {@link #close} once, after every connector has
 * stopped.
 */
public final class HostServices implements AutoCloseable {
  private final PrometheusMeterRegistry meters =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final OkHttpClient http =
      new OkHttpClient.Builder()
          .connectTimeout(10, TimeUnit.SECONDS)
          .readTimeout(30, TimeUnit.SECONDS)
          .writeTimeout(30, TimeUnit.SECONDS)
          .build();
  private final Path stateDir;

  public HostServices(Path storeDir) {
    this.stateDir = storeDir.resolve("state");
  }

  public PrometheusMeterRegistry meters() {
    return meters;
  }

  OkHttpClient http() {
    return http;
  }

  Path stateDir(String connectionId) {
    return Ids.file(stateDir, connectionId, "");
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
    meters.close();
  }
}
