package dev.weir.host.cli;

import dev.weir.cluster.ClusterException;
import dev.weir.cluster.ClusterSettings;
import dev.weir.cluster.ClusterTopics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code weir cluster init} creates the cluster's topics on Kafka ({@code <prefix>.events}, {@code
 * .stored}, {@code .state}); {@code weir cluster check} says how existing topics disagree with the
 * given settings, as a node does before it starts.
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = "Cluster mode on Kafka: create and check the cluster's topics.",
    subcommands = {ClusterCommand.Init.class, ClusterCommand.Check.class})
final class ClusterCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** The settings the topics depend on. */
  static final class TopicOptions {
    @Option(names = "--bootstrap-servers", required = true, description = "Kafka brokers.")
    String bootstrapServers;

    @Option(
        names = "--partitions",
        required = true,
        description = "Partitions of every topic: the store's partitions; fixed once created.")
    int partitions;

    @Option(
        names = "--replication-factor",
        defaultValue = "3",
        description = "Replicas of each partition (default: ${DEFAULT-VALUE}; 1 only for tests).")
    int replicationFactor;

    @Option(
        names = "--min-insync-replicas",
        defaultValue = "2",
        description = "Replicas that must have an event before it is acknowledged (default: 2).")
    int minInsyncReplicas;

    @Option(
        names = "--topic-prefix",
        defaultValue = "weir",
        description = "Topic names are <prefix>.events, .stored and .state (default: weir).")
    String topicPrefix;

    ClusterSettings settings() {
      // the topics depend only on these; node id and roles are the running nodes' business
      return ClusterSettings.builder()
          .bootstrapServers(bootstrapServers)
          .nodeId("weir-cli")
          .roles(Set.of(ClusterSettings.Role.STORE))
          .topicPrefix(topicPrefix)
          .partitions(partitions)
          .replicationFactor(replicationFactor)
          .minInsyncReplicas(minInsyncReplicas)
          .build();
    }

    Admin admin() {
      return Admin.create(
          Map.<String, Object>of(
              AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
              bootstrapServers,
              AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
              30_000));
    }
  }

  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      description = "Create the cluster's topics (safe to run again: existing ones are checked).")
  static final class Init implements Callable<Integer> {
    @Mixin TopicOptions topics;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try (Admin admin = topics.admin()) {
        for (String line : ClusterTopics.init(admin, topics.settings())) {
          spec.commandLine().getOut().println(line);
        }
        return 0;
      } catch (ClusterException | IllegalArgumentException e) {
        spec.commandLine().getErr().println("weir cluster init: " + e.getMessage());
        return WeirCli.RUN_ERROR;
      }
    }
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description =
          "Say how the cluster's topics disagree with these settings (exit 1 if they do).")
  static final class Check implements Callable<Integer> {
    @Mixin TopicOptions topics;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try (Admin admin = topics.admin()) {
        List<String> problems = ClusterTopics.check(admin, topics.settings());
        problems.forEach(spec.commandLine().getOut()::println);
        if (problems.isEmpty()) {
          spec.commandLine().getOut().println("the topics match");
        }
        return problems.isEmpty() ? 0 : WeirCli.RUN_ERROR;
      } catch (ClusterException | IllegalArgumentException e) {
        spec.commandLine().getErr().println("weir cluster check: " + e.getMessage());
        return WeirCli.RUN_ERROR;
      }
    }
  }
}
