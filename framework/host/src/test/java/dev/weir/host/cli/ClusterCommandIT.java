package dev.weir.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testsupport.EmbeddedKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ClusterCommandIT {
  private static int run(StringWriter out, String... args) {
    CommandLine cli = WeirCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));
    return cli.execute(args);
  }

  @Test
  void clusterInitCreatesTheTopicsAndCheckNamesADisagreement() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      String[] common = {
        "--bootstrap-servers", kafka.bootstrapServers(),
        "--replication-factor", "1",
        "--min-insync-replicas", "1",
        "--topic-prefix", "acme"
      };
      StringWriter init = new StringWriter();
      assertThat(run(init, concat(new String[] {"cluster", "init", "--partitions", "6"}, common)))
          .as(init.toString())
          .isZero();
      assertThat(init.toString())
          .contains("created acme.events (6 partitions, replication factor 1, delete)")
          .contains("created acme.state (6 partitions, replication factor 1, compact)");

      StringWriter ok = new StringWriter();
      assertThat(run(ok, concat(new String[] {"cluster", "check", "--partitions", "6"}, common)))
          .isZero();
      assertThat(ok.toString()).contains("the topics match");

      StringWriter bad = new StringWriter();
      assertThat(run(bad, concat(new String[] {"cluster", "check", "--partitions", "8"}, common)))
          .isEqualTo(1);
      assertThat(bad.toString())
          .contains("topic acme.events has 6 partitions but cluster.partitions is 8");
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
