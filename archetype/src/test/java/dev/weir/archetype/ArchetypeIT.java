package dev.weir.archetype;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.sdk.Outcome;
import dev.weir.sdk.StreamingDestination;
import dev.weir.testkit.Events;
import dev.weir.testkit.TestContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.JarPluginManager;
import org.pf4j.PluginManager;

/**
 * Generates a plugin project from the archetype built in this reactor ({@code mvn
 * archetype:generate} in a subprocess), builds it ({@code mvn verify}, which runs its conformance
 * test), checks the jar is a valid Weir plugin, and loads it with pf4j the way the host does, then
 * delivers through it.
 *
 * <p>The generated build cannot find this reactor's SNAPSHOTs in the user's repository on a clean
 * clone, so it runs against a temporary local repository: every top-level directory of the user's
 * repository is symlinked into it (third-party artifacts are shared and cached as usual) except
 * {@code dev/weir}, where the parent pom, the SDK, the test kit and the archetype built by this
 * reactor are copied.
 */
class ArchetypeIT {
  private static final String VERSION = System.getProperty("weir.version", "0.1.0-SNAPSHOT");
  private static final Path ROOT =
      Path.of(System.getProperty("weir.root", "..")).toAbsolutePath().normalize();

  @StartStop final MockWebServer server = new MockWebServer();

  @Test
  void aGeneratedProjectBuildsWithAPassingConformanceTestAndLoadsAsAPlugin(@TempDir Path tmp)
      throws Exception {
    Path repo = localRepository(tmp.resolve("repo"));
    Path work = Files.createDirectories(tmp.resolve("work"));

    mvn(
        work,
        repo,
        "org.apache.maven.plugins:maven-archetype-plugin:3.3.1:generate",
        "-DinteractiveMode=false",
        "-DarchetypeGroupId=dev.weir",
        "-DarchetypeArtifactId=weir-plugin-archetype",
        "-DarchetypeVersion=" + VERSION,
        "-DgroupId=com.example",
        "-DartifactId=acme-plugin",
        "-Dversion=1.0.0",
        "-Dpackage=com.example.acme",
        "-DconnectorId=acme");
    Path project = work.resolve("acme-plugin");
    assertThat(project.resolve("src/main/java/com/example/acme/PluginDestination.java")).exists();
    assertThat(project.resolve("README.md")).exists();

    String build = mvn(project, repo, "verify");
    assertThat(build).contains("Tests run: 8, Failures: 0, Errors: 0, Skipped: 0");

    Path jar = project.resolve("target/acme-plugin-1.0.0.jar");
    try (JarFile jf = new JarFile(jar.toFile())) {
      assertThat(jf.getManifest().getMainAttributes().getValue("Plugin-Id")).isEqualTo("acme");
      assertThat(jf.getManifest().getMainAttributes().getValue("Plugin-Version"))
          .isEqualTo("1.0.0");
      assertThat(jf.getEntry("META-INF/extensions.idx")).isNotNull();
      assertThat(jf.getEntry("com/fasterxml/jackson/databind/ObjectMapper.class"))
          .as("bundled library")
          .isNotNull();
      assertThat(jf.stream().map(e -> e.getName()))
          .noneMatch(
              n ->
                  n.startsWith("dev/weir/sdk/")
                      || n.startsWith("org/pf4j/")
                      || n.startsWith("okhttp3/"));
    }

    Path plugins = Files.createDirectories(tmp.resolve("plugins"));
    Files.copy(jar, plugins.resolve(jar.getFileName()));
    PluginManager manager = new JarPluginManager(plugins);
    manager.loadPlugins();
    manager.startPlugins();
    try {
      assertThat(manager.getPlugin("acme")).isNotNull();
      List<StreamingDestination> found = manager.getExtensions(StreamingDestination.class, "acme");
      assertThat(found).hasSize(1);
      StreamingDestination destination = found.get(0);
      assertThat(destination.spec().id()).isEqualTo("acme");
      assertThat(destination.getClass().getClassLoader()).isNotSameAs(getClass().getClassLoader());

      server.enqueue(new MockResponse.Builder().code(200).build());
      destination.start(
          TestContext.builder(destination.spec())
              .settings(Map.of("url", server.url("/in").toString(), "api_key", "k-123456"))
              .build());
      List<Outcome> outcomes = destination.deliver(Events.batch(3));
      destination.stop();

      assertThat(outcomes)
          .extracting(Outcome::status)
          .containsOnly(Outcome.Status.DELIVERED)
          .hasSize(3);
      RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
      assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer k-123456");
      assertThat(request.getBody().utf8())
          .startsWith("{\"events\":[{")
          .contains("Purchase Completed");
    } finally {
      manager.unloadPlugins();
    }
  }

  @Test
  void theSourceOptionGeneratesAPollingSourceWhoseConformanceSuitePasses(@TempDir Path tmp)
      throws Exception {
    Path repo = localRepository(tmp.resolve("repo"));
    Path work = Files.createDirectories(tmp.resolve("work"));
    mvn(
        work,
        repo,
        "org.apache.maven.plugins:maven-archetype-plugin:3.3.1:generate",
        "-DinteractiveMode=false",
        "-DarchetypeGroupId=dev.weir",
        "-DarchetypeArtifactId=weir-plugin-archetype",
        "-DarchetypeVersion=" + VERSION,
        "-DgroupId=com.example",
        "-DartifactId=acme-source",
        "-Dversion=1.0.0",
        "-Dpackage=com.example.acme",
        "-DconnectorId=acme-source",
        "-Dkind=source");
    Path project = work.resolve("acme-source");
    assertThat(project.resolve("src/main/java/com/example/acme/PluginSource.java")).exists();
    assertThat(project.resolve("src/main/java/com/example/acme/PluginDestination.java"))
        .doesNotExist();
    assertThat(project.resolve("src/test/java/com/example/acme/PluginSourceConformanceTest.java"))
        .exists();

    String build = mvn(project, repo, "verify");
    assertThat(build).contains("Tests run: 6, Failures: 0, Errors: 0, Skipped: 0");

    Path jar = project.resolve("target/acme-source-1.0.0.jar");
    Path plugins = Files.createDirectories(tmp.resolve("plugins"));
    Files.copy(jar, plugins.resolve(jar.getFileName()));
    PluginManager manager = new JarPluginManager(plugins);
    manager.loadPlugins();
    manager.startPlugins();
    try {
      List<dev.weir.sdk.SourceConnector> found =
          manager.getExtensions(dev.weir.sdk.SourceConnector.class, "acme-source");
      assertThat(found).hasSize(1);
      assertThat(found.get(0).spec().id()).isEqualTo("acme-source");
    } finally {
      manager.unloadPlugins();
    }
  }

  /**
   * A local repository sharing the user's third-party artifacts, with this reactor's dev.weir
   * artifacts.
   */
  private static Path localRepository(Path repo) throws IOException {
    Path user =
        Path.of(
            System.getProperty(
                "maven.local.repo", System.getProperty("user.home") + "/.m2/repository"));
    Files.createDirectories(repo.resolve("dev"));
    if (Files.isDirectory(user)) {
      try (Stream<Path> top = Files.list(user)) {
        for (Path p : top.toList()) {
          if (!p.getFileName().toString().equals("dev")) {
            Files.createSymbolicLink(repo.resolve(p.getFileName().toString()), p);
          }
        }
      }
      if (Files.isDirectory(user.resolve("dev"))) {
        try (Stream<Path> dev = Files.list(user.resolve("dev"))) {
          for (Path p : dev.toList()) {
            if (!p.getFileName().toString().equals("weir")) {
              Files.createSymbolicLink(repo.resolve("dev").resolve(p.getFileName().toString()), p);
            }
          }
        }
      }
    }
    install(repo, "weir-parent", ROOT.resolve("pom.xml"), null);
    install(
        repo,
        "weir-sdk",
        ROOT.resolve("sdk/pom.xml"),
        ROOT.resolve("sdk/target/weir-sdk-" + VERSION + ".jar"));
    install(repo, "weir-framework", ROOT.resolve("framework/pom.xml"), null);
    install(
        repo,
        "weir-connector-runtime",
        ROOT.resolve("framework/runtime/pom.xml"),
        ROOT.resolve("framework/runtime/target/weir-connector-runtime-" + VERSION + ".jar"));
    install(
        repo,
        "weir-sdk-testkit",
        ROOT.resolve("sdk-testkit/pom.xml"),
        ROOT.resolve("sdk-testkit/target/weir-sdk-testkit-" + VERSION + ".jar"));
    install(
        repo,
        "weir-plugin-archetype",
        ROOT.resolve("archetype/pom.xml"),
        Path.of(
            System.getProperty(
                "weir.archetype.jar",
                ROOT.resolve("archetype/target/weir-plugin-archetype-" + VERSION + ".jar")
                    .toString())));
    return repo;
  }

  private static void install(Path repo, String artifactId, Path pom, Path jar) throws IOException {
    Path dir =
        Files.createDirectories(repo.resolve("dev/weir").resolve(artifactId).resolve(VERSION));
    Files.copy(pom, dir.resolve(artifactId + "-" + VERSION + ".pom"));
    if (jar != null) {
      assertThat(jar).as("built by this reactor before the integration tests").exists();
      Files.copy(jar, dir.resolve(artifactId + "-" + VERSION + ".jar"));
    }
  }

  /**
   * Runs Maven in {@code dir} against {@code repo}; returns its output, failing the test with it on
   * error.
   */
  private static String mvn(Path dir, Path repo, String... args) throws Exception {
    String home = System.getProperty("maven.home");
    String exe =
        home != null && Files.isExecutable(Path.of(home, "bin", "mvn"))
            ? Path.of(home, "bin", "mvn").toString()
            : "mvn";
    List<String> cmd =
        new ArrayList<>(
            List.of(exe, "-B", "-ntp", "-Dmaven.repo.local=" + repo, "-Dstyle.color=never"));
    cmd.addAll(List.of(args));
    Path log = Files.createTempFile(dir, "mvn", ".log");
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean done = p.waitFor(10, TimeUnit.MINUTES);
    if (!done) {
      p.destroyForcibly();
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    Files.delete(log);
    assertThat(done && p.exitValue() == 0).as("%s in %s failed:%n%s", cmd, dir, out).isTrue();
    return out;
  }
}
