package dev.weir.host.cli;

import dev.weir.delivery.DeadLetter;
import dev.weir.delivery.JobResult;
import dev.weir.host.Weir;
import dev.weir.host.logging.SecretRedactor;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weir dead-letters list|redeliver}: inspects and resends a destination's dead letters. Runs
 * offline on the workspace's state (stop a running Weir first).
 */
@Command(
    name = "dead-letters",
    mixinStandardHelpOptions = true,
    description = "List or redeliver a destination's dead letters.",
    subcommands = {DeadLettersCommand.ListCommand.class, DeadLettersCommand.RedeliverCommand.class})
final class DeadLettersCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** Options shared by both subcommands. */
  static class Common {
    @Option(
        names = {"-w", "--workspace"},
        required = true,
        paramLabel = "<file>",
        description = "Workspace file.")
    Path workspace;

    @Option(
        names = "--destination",
        required = true,
        description = "The streaming destination id.",
        converter = IdArgument.class)
    String destination;

    @Option(
        names = "--reason",
        description = "Only this reason (max_attempts, max_age, rejected, expired...).")
    String reason;
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List dead letters, oldest first.")
  static final class ListCommand extends Common implements Callable<Integer> {
    @Override
    public Integer call() {
      Weir weir = Offline.start(workspace, Duration.ZERO, System.err);
      if (weir == null) {
        return WeirCli.CONFIG_ERROR;
      }
      try (weir) {
        List<DeadLetter> all = weir.delivery().deadLetters(destination, reason);
        System.out.printf(
            "%-24s %-14s %-12s %8s %6s  %s%n",
            "DEAD-LETTERED AT", "REASON", "EVENT TYPE", "ATTEMPTS", "STATUS", "RESPONSE");
        for (DeadLetter d : all) {
          // Stored redacted; printed through today's redactor too (a letter older than a secret).
          String resp =
              d.response() == null
                  ? ""
                  : SecretRedactor.current()
                      .redactCredentials(d.response())
                      .replaceAll("\\s+", " ");
          System.out.printf(
              "%-24s %-14s %-12s %8d %6d  %s%n",
              Instant.ofEpochMilli(d.deadLetteredAt()),
              d.reason(),
              d.event().eventType(),
              d.attempts(),
              d.lastStatusCode(),
              resp.length() > 80 ? resp.substring(0, 80) + "..." : resp);
        }
        System.out.println(all.size() + " dead letter(s)");
        return 0;
      }
    }
  }

  @Command(
      name = "redeliver",
      mixinStandardHelpOptions = true,
      description = "Send dead letters again.")
  static final class RedeliverCommand extends Common implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      Weir weir = Offline.start(workspace, Duration.ofSeconds(30), System.err);
      if (weir == null) {
        return WeirCli.CONFIG_ERROR;
      }
      try (weir) {
        JobResult r =
            weir.delivery()
                .redeliver(
                    destination,
                    d -> reason == null || reason.equals(d.reason()),
                    (done, total) -> {})
                .get();
        System.out.printf(
            "Redelivered to %s: %d selected, %d delivered, %d dead-lettered again%n",
            destination, r.selected(), r.delivered(), r.deadLettered());
        return 0;
      }
    }
  }
}
