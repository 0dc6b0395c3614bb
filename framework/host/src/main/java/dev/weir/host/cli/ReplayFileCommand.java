package dev.weir.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.host.Weir;
import dev.weir.sdk.Event;
import dev.weir.sdk.EventFormat;
import dev.weir.sdk.StoreUnavailableException;
import dev.weir.sdk.SubmitResult;
import dev.weir.sdk.SubmitResult.EventStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code weir replay-file --workspace W --source S events.ndjson[.gz]}: sends a file of events
 * through the same path as live traffic (stamping, governance, dedup in the store, delivery) with
 * the workspace's store, then prints a summary. The store directory is single-writer: stop a
 * running Weir on that workspace first (the store's lock refuses a second process with a clear
 * message).
 */
@Command(
    name = "replay-file",
    mixinStandardHelpOptions = true,
    description =
        "Send a file of events (NDJSON, optionally gzipped) through governance, dedup and delivery.")
final class ReplayFileCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The {@code --format} when it is not canonical; set by {@link #call}. */
  private EventFormat eventFormat;

  @Option(
      names = {"-w", "--workspace"},
      required = true,
      paramLabel = "<file>",
      description = "Workspace YAML file.")
  Path workspace;

  @Option(
      names = "--source",
      required = true,
      description = "The workspace source id the events count as from.")
  String source;

  @Option(
      names = "--format",
      defaultValue = "canonical",
      description = "canonical (Weir's event JSON), amplitude or segment (${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--batch",
      defaultValue = "500",
      description = "Events per append (${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--drain-seconds",
      defaultValue = "60",
      description =
          "How long to wait for destinations to deliver before exiting (${DEFAULT-VALUE}); what is left is "
              + "delivered by the next run.")
  long drainSeconds;

  @Option(names = "--no-progress", description = "No progress bar (for logs and tests).")
  boolean noProgress;

  @Parameters(index = "0", paramLabel = "<events.ndjson[.gz]>")
  Path file;

  PrintStream out = System.out;
  PrintStream err = System.err;

  @Override
  public Integer call() throws Exception {
    Map<String, EventFormat> installed = PlanFormats.installed();
    if (!format.equals("canonical") && !installed.containsKey(format)) {
      List<String> names = new ArrayList<>(List.of("canonical"));
      names.addAll(installed.keySet());
      String last = names.remove(names.size() - 1);
      err.println(
          "--format must be "
              + (names.isEmpty() ? last : String.join(", ", names) + " or " + last)
              + ", not '"
              + format
              + "'");
      return 64;
    }
    eventFormat = installed.get(format);
    if (!Files.isRegularFile(file)) {
      err.println("file not found: " + file);
      return WeirCli.RUN_ERROR;
    }
    Weir weir = Offline.start(workspace, Duration.ofSeconds(drainSeconds), err);
    if (weir == null) {
      return WeirCli.CONFIG_ERROR;
    }
    try (weir) {
      if (weir.workspace().source(source).isEmpty()) {
        err.println(
            "unknown source '"
                + source
                + "' (sources: "
                + weir.workspace().sources().stream().map(s -> s.id()).toList()
                + ")");
        return 64;
      }
      Summary s = replay(weir);
      out.println(s.render());
      out.println("Waiting up to " + drainSeconds + " s for destinations to deliver...");
      return s.failed ? WeirCli.RUN_ERROR : 0;
    }
  }

  /** The counts printed at the end. */
  static final class Summary {
    long lines;
    long accepted;
    long duplicates;
    long blocked;
    final Map<String, Long> rejected = new TreeMap<>();
    boolean failed;
    String failure;

    void reject(String reason) {
      rejected.merge(reason, 1L, Long::sum);
    }

    long rejectedTotal() {
      return rejected.values().stream().mapToLong(Long::longValue).sum();
    }

    String render() {
      StringBuilder b = new StringBuilder();
      b.append("Replayed ")
          .append(lines)
          .append(" lines: ")
          .append(accepted)
          .append(" accepted, ")
          .append(duplicates)
          .append(" duplicates, ")
          .append(blocked)
          .append(" blocked by the tracking plan, ")
          .append(rejectedTotal())
          .append(" rejected");
      rejected.forEach(
          (reason, n) -> b.append("\n  rejected ").append(n).append(": ").append(reason));
      if (failed) {
        b.append("\nStopped early: ").append(failure);
      }
      return b.toString();
    }
  }

  private Summary replay(Weir weir) throws IOException {
    Summary s = new Summary();
    long size = Files.size(file);
    ProgressBar bar =
        noProgress
            ? null
            : new ProgressBarBuilder()
                .setTaskName("replay")
                .setInitialMax(size)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" MB", 1 << 20)
                .showSpeed()
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(err))
                .build();
    try (InputStream raw = Files.newInputStream(file);
        CountingStream counted = new CountingStream(raw);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(counted) : counted;
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      List<Event> pending = new ArrayList<>(batch);
      String line;
      long now = System.currentTimeMillis();
      long started = System.nanoTime();
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        s.lines++;
        for (Object parsed : parse(line, now)) {
          if (parsed instanceof Event e) {
            pending.add(e);
          } else {
            s.reject((String) parsed);
          }
        }
        if (pending.size() >= batch && !flush(weir, pending, s)) {
          break;
        }
        if (bar != null) {
          bar.stepTo(counted.count);
          long secs = Math.max(1, (System.nanoTime() - started) / 1_000_000_000L);
          bar.setExtraMessage(String.format(" %,d events, %,d events/s", s.lines, s.lines / secs));
        }
      }
      if (!s.failed) {
        flush(weir, pending, s);
      }
    } finally {
      if (bar != null) {
        bar.close();
      }
    }
    return s;
  }

  private boolean flush(Weir weir, List<Event> pending, Summary s) {
    if (pending.isEmpty()) {
      return true;
    }
    try {
      SubmitResult r = weir.pipeline().submitNow(source, pending);
      s.accepted += r.count(EventStatus.STORED);
      s.duplicates += r.count(EventStatus.DUPLICATE);
      s.blocked += r.count(EventStatus.BLOCKED);
      return true;
    } catch (StoreUnavailableException e) {
      s.failed = true;
      s.failure = e.getMessage();
      return false;
    } finally {
      pending.clear();
    }
  }

  /** Events and rejection reasons (strings) from one line. */
  private List<Object> parse(String line, long now) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (IOException e) {
      return List.of("not valid JSON");
    }
    List<Object> out = new ArrayList<>();
    if (eventFormat != null) {
      try {
        for (EventFormat.Parsed p : eventFormat.parse(line, now)) {
          out.add(p.event() != null ? p.event() : p.problems().get(0));
        }
      } catch (IllegalArgumentException e) {
        out.add(String.valueOf(e.getMessage()));
      }
      return out;
    }
    if (!node.isObject()) {
      out.add("not a JSON object");
    } else {
      try {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = JSON.convertValue(node, Map.class);
        out.add(Event.fromMap(map));
      } catch (IllegalArgumentException e) {
        out.add(String.valueOf(e.getMessage()));
      }
    }
    return out;
  }

  /** Counts the compressed bytes read, for the progress bar. */
  private static final class CountingStream extends java.io.FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
