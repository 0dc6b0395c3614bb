package dev.weir.host.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code weir destinations pause|resume|status <id>}: acts on a <b>running</b> Weir through its
 * admin API (the workspace needs a {@code server:} section). The token comes from {@code --token}
 * or {@code WEIR_ADMIN_TOKEN}.
 */
@Command(
    name = "destinations",
    mixinStandardHelpOptions = true,
    description = "Pause, resume or show a destination of a running Weir (through its admin API).",
    subcommands = {
      DestinationsCommand.Pause.class,
      DestinationsCommand.Resume.class,
      DestinationsCommand.Status.class
    })
final class DestinationsCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** The destination id and the one admin call each subcommand makes. */
  abstract static class AdminCall implements Callable<Integer> {
    @Mixin AdminClient admin;

    @Parameters(index = "0", paramLabel = "<destination id>", converter = IdArgument.class)
    String id;

    abstract String method();

    abstract String action();

    @Override
    public Integer call() {
      return admin.call(
          method(),
          method().equals("POST") ? "{}" : null,
          "api",
          "v1",
          "destinations",
          id,
          action());
    }
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description = "Stop sending; events accumulate.")
  static final class Pause extends AdminCall {
    @Override
    String method() {
      return "POST";
    }

    @Override
    String action() {
      return "pause";
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Resume sending from the cursor.")
  static final class Resume extends AdminCall {
    @Override
    String method() {
      return "POST";
    }

    @Override
    String action() {
      return "resume";
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Delivery status (JSON).")
  static final class Status extends AdminCall {
    @Override
    String method() {
      return "GET";
    }

    @Override
    String action() {
      return "status";
    }
  }
}
