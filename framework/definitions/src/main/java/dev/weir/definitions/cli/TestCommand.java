package dev.weir.definitions.cli;

import dev.weir.definitions.Definition;
import dev.weir.definitions.DryRun;
import dev.weir.definitions.FixtureRunner;
import dev.weir.sdk.Event;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code connector test def.yaml [--events sample.ndjson] [--settings file] [--responses
 * recorded.json]}: an offline dry run printing the exact requests (secrets masked) with batch
 * boundaries and, given recorded responses, the outcome per event. Without {@code --events} runs
 * the definition's own fixtures; exit 1 with a diff on any mismatch.
 */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    description = "Dry-run a definition offline, or run its own fixtures.")
public final class TestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DEFINITION")
  Path file;

  @Option(names = "--events", description = "NDJSON file of events (canonical snake_case JSON)")
  Path events;

  @Option(names = "--settings", description = "settings as YAML or JSON")
  Path settings;

  @Option(
      names = "--responses",
      description = "recorded responses: a JSON array of {status, headers, body}")
  Path responses;

  @Option(names = "--now", description = "clock for HMAC timestamps, epoch ms (default: now)")
  Long now;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Definition d = CommandFiles.load(file, spec.commandLine().getErr());
    if (d == null) {
      return 1;
    }
    if (events == null) {
      int failed = 0;
      for (FixtureRunner.Result r : FixtureRunner.run(d)) {
        out.println((r.passed() ? "PASS " : "FAIL ") + r.name());
        if (!r.passed()) {
          failed++;
          out.println("  (- expected by the fixture, + what the definition produced)");
          r.diff().forEach(line -> out.println("  " + line));
        }
      }
      out.println(failed == 0 ? "all fixtures passed" : failed + " fixture(s) failed");
      out.flush();
      return failed == 0 ? 0 : 1;
    }
    List<Event> evs = CommandFiles.events(events);
    DryRun.Result r =
        DryRun.render(
            d,
            CommandFiles.settings(settings),
            evs,
            CommandFiles.responses(responses),
            now == null ? System.currentTimeMillis() : now);
    out.print(r.transcript());
    out.flush();
    return 0;
  }
}
