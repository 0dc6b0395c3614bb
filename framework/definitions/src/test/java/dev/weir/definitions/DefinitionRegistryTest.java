package dev.weir.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Versions side by side, pins, and hot-loading from a directory. */
class DefinitionRegistryTest {
  @TempDir Path dir;

  static String def(String version, String extraSetting) {
    return """
        apiVersion: weir.dev/v1
        kind: Destination
        metadata: {id: hooky, name: Hooky, version: %s, partner: P, category: webhook}
        settings:
          type: object
          properties:
            url: {type: string}
            %s
        requests:
          - name: send
            trigger: {where: "true"}
            method: POST
            url: "{{ settings.url }}"
            body: '{"n": $count(events)}'
        tests:
          - {name: t, settings: {url: "https://x.example"}, events: [{event_type: X}], expect: {}}
        """
        .formatted(version, extraSetting);
  }

  @Test
  void exactPinsStayPutWhileLatestCompatibleFollowsTheMajor() throws Exception {
    DefinitionRegistry reg = new DefinitionRegistry();
    reg.install(Definitions.parse("a", def("1.0.0", "")));
    reg.install(Definitions.parse("b", def("1.2.0", "")));
    assertThat(reg.resolve("hooky", "1.0.0"))
        .get()
        .extracting(Definition::version)
        .isEqualTo("1.0.0");
    assertThat(reg.resolve("hooky", "1.x"))
        .get()
        .extracting(Definition::version)
        .isEqualTo("1.2.0");
    reg.install(Definitions.parse("c", def("2.0.0", "")));
    reg.install(Definitions.parse("d", def("1.3.0-beta.1", "")));
    assertThat(reg.resolve("hooky", "1.0.0"))
        .get()
        .extracting(Definition::version)
        .isEqualTo("1.0.0");
    assertThat(reg.resolve("hooky", "latest-compatible:1"))
        .get()
        .extracting(Definition::version)
        .isEqualTo("1.2.0");
    assertThat(reg.resolve("hooky", "2.x"))
        .get()
        .extracting(Definition::version)
        .isEqualTo("2.0.0");
    assertThat(reg.versions("hooky")).containsExactly("1.0.0", "1.2.0", "1.3.0-beta.1", "2.0.0");
    assertThat(reg.resolve("hooky", "3.x")).isEmpty();
    assertThat(reg.resolve("nope", "1.0.0")).isEmpty();
  }

  /**
   * Writes {@code text} to {@code file} in one step (temp file, atomic rename), so the watcher
   * never reads a half-written file.
   */
  static void writeWhole(Path file, String text) throws java.io.IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text);
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void newFilesAndVersionsAreHotLoadedAndAnInvalidFileLeavesThePreviousOneInPlace()
      throws Exception {
    Path f = dir.resolve("hooky.yaml");
    Files.writeString(f, def("1.0.0", ""));
    List<DefinitionRegistry.ScanReport> reports = new CopyOnWriteArrayList<>();
    try (DefinitionRegistry reg = new DefinitionRegistry()) {
      reg.watch(dir, Duration.ofMillis(50), reports::add);
      await().atMost(Duration.ofSeconds(10)).until(() -> reg.resolve("hooky", "1.x").isPresent());

      writeWhole(dir.resolve("hooky-1.1.yaml"), def("1.1.0", ""));
      await().atMost(Duration.ofSeconds(10)).until(() -> reg.versions("hooky").contains("1.1.0"));
      assertThat(reg.resolve("hooky", "1.x"))
          .get()
          .extracting(Definition::version)
          .isEqualTo("1.1.0");

      // break the 1.1.0 file: reported, ignored, and 1.1.0 stays installed
      Path broken = dir.resolve("hooky-1.1.yaml");
      writeWhole(broken, def("1.1.0", "").replace("method: POST", "method: SEND"));
      Files.setLastModifiedTime(broken, FileTime.fromMillis(System.currentTimeMillis() + 5000));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> reports.stream().anyMatch(r -> !r.problems().isEmpty()));
      Problem p = reports.stream().flatMap(r -> r.problems().stream()).findFirst().orElseThrow();
      assertThat(p.file()).endsWith("hooky-1.1.yaml");
      assertThat(p.path()).isEqualTo("/requests/0/method");
      assertThat(reg.resolve("hooky", "1.x"))
          .get()
          .extracting(Definition::version)
          .isEqualTo("1.1.0");
      assertThat(reg.resolve("hooky", "1.0.0")).isPresent();
    }
  }
}
