package dev.weir.host.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weir quickstart}: runs {@code portal-config-examples/quickstart/workspace.yaml} (from the
 * working directory, else next to the jar's repository, else the copy inside the jar).
 */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    description =
        "Run the quickstart: HTTP in on localhost:8080, NDJSON files out in ./weir-data/out,"
            + " admin API and console on localhost:8081.")
final class QuickstartCommand implements Callable<Integer> {
  static final String RELATIVE = "portal-config-examples/quickstart/workspace.yaml";

  @Option(
      names = "--port",
      paramLabel = "<port>",
      description = "Port of the HTTP source (default 8080, or $WEIR_HTTP_PORT).")
  Integer port;

  @Option(
      names = "--admin-port",
      paramLabel = "<port>",
      description =
          "Port of the admin API, /metrics, /health and console (default 8081, or $WEIR_ADMIN_PORT).")
  Integer adminPort;

  @Option(
      names = "--data-dir",
      paramLabel = "<dir>",
      description = "Where the store and output files go (default ./weir-data, or $WEIR_DATA_DIR).")
  Path dataDir;

  @Override
  public Integer call() throws IOException {
    Map<String, String> overrides = new HashMap<>();
    if (port != null) {
      overrides.put("WEIR_HTTP_PORT", String.valueOf(port));
    }
    if (adminPort != null) {
      overrides.put("WEIR_ADMIN_PORT", String.valueOf(adminPort));
    }
    if (dataDir != null) {
      overrides.put("WEIR_DATA_DIR", dataDir.toString());
    }
    return Runner.run(locate(), overrides, true, System.out, System.err);
  }

  static Path locate() throws IOException {
    Path here = Path.of(RELATIVE);
    if (Files.isRegularFile(here)) {
      return here;
    }
    try {
      Path jar =
          Path.of(
              QuickstartCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // <repo>/framework/target/weir.jar -> <repo>
      Path target = jar.getParent();
      Path repo =
          target == null || target.getParent() == null ? null : target.getParent().getParent();
      if (repo != null) {
        Path candidate = repo.resolve(RELATIVE);
        if (Files.isRegularFile(candidate)) {
          return candidate;
        }
      }
    } catch (URISyntaxException | RuntimeException ignored) {
      // Fall through to the copy inside the jar.
    }
    try (InputStream in =
        QuickstartCommand.class.getResourceAsStream("/weir/quickstart/workspace.yaml")) {
      if (in == null) {
        throw new IOException("cannot find " + RELATIVE + " (run from the repository root)");
      }
      Path tmp = Files.createTempFile("weir-quickstart-", ".yaml");
      tmp.toFile().deleteOnExit();
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      return tmp;
    }
  }
}
