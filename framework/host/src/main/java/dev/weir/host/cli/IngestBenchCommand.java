package dev.weir.host.cli;

import dev.weir.host.bench.IngestBench;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code weir bench ingest}: Weir end to end against same-run ceilings, external load. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Measure HTTP ingest end to end with an external load generator (wrk when installed:"
          + " apt-get install -y wrk; else a separate JVM), against a parse-only ceiling and a"
          + " bare-HTTP baseline taken in the same run."
    })
final class IngestBenchCommand implements Callable<Integer> {
  @Option(names = "--seconds", defaultValue = "20", description = "Seconds per measured run.")
  int seconds;

  @Option(names = "--warmup", defaultValue = "5", description = "Seconds of warm-up per server.")
  int warmup;

  @Option(names = "--connections", defaultValue = "16", description = "Concurrent connections.")
  int connections;

  @Option(names = "--batch", defaultValue = "100", description = "Events per request.")
  int batch;

  @Option(
      names = "--generator",
      defaultValue = "auto",
      description = "auto (wrk when installed), wrk or jvm.")
  String generator;

  @Option(
      names = "--store-fsync",
      defaultValue = "always",
      description = "The store's fsync_policy: always, interval or none (${DEFAULT-VALUE}).")
  String storeFsync;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description =
          "Steady total events/s (0 = as fast as possible). A rate uses the JVM generator, which"
              + " paces requests open-loop.")
  double rate;

  @Override
  public Integer call() throws Exception {
    if (!java.util.List.of("auto", "wrk", "jvm").contains(generator)) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this), "--generator must be auto, wrk or jvm: " + generator);
    }
    return new IngestBench(
            new IngestBench.Options(
                seconds,
                warmup,
                connections,
                batch,
                generator,
                storeFsync,
                rate,
                Path.of(System.getProperty("java.home"))),
            System.out)
        .run();
  }
}
