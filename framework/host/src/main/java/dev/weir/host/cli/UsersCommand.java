package dev.weir.host.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code weir users delete <source> <user_id>} and {@code weir users deletion <deletion_id>}: a
 * user deletion on a <b>running</b> Weir, through its admin API ({@code DELETE
 * /api/v1/users/{source}/{userId}}, {@code GET /api/v1/deletions/{id}}; the workspace needs a
 * {@code server:} section). Prints the API's JSON answer.
 */
@Command(
    name = "users",
    mixinStandardHelpOptions = true,
    description = "Delete a user's data from a running Weir, and follow the deletion.",
    subcommands = {UsersCommand.Delete.class, UsersCommand.Deletion.class})
final class UsersCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description =
          "Delete the user's events (store, quarantine copy, delivery queues, dead letters) and"
              + " send the deletion to destinations that support it; prints the deletion id.")
  static final class Delete implements Callable<Integer> {
    @Mixin AdminClient admin;

    @Parameters(index = "0", paramLabel = "<source>", converter = IdArgument.class)
    String source;

    @Parameters(index = "1", paramLabel = "<user_id>")
    String userId;

    @Override
    public Integer call() {
      if (userId.isBlank()) {
        admin.err.println("<user_id> must not be blank");
        return CommandLine.ExitCode.USAGE;
      }
      return admin.call("DELETE", null, "api", "v1", "users", source, userId);
    }
  }

  @Command(
      name = "deletion",
      mixinStandardHelpOptions = true,
      description = "A deletion's status per stage and destination (JSON).")
  static final class Deletion implements Callable<Integer> {
    @Mixin AdminClient admin;

    @Parameters(index = "0", paramLabel = "<deletion_id>")
    String id;

    @Override
    public Integer call() {
      return admin.call("GET", null, "api", "v1", "deletions", id);
    }
  }
}
