package dev.weir.definitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every example in portal-config-examples/definitions validates and its own fixtures pass. */
class ExamplesTest {
  static final Path EXAMPLES = Path.of("../../portal-config-examples/definitions");

  static List<Path> examples() throws IOException {
    try (Stream<Path> s = Files.list(EXAMPLES)) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  @Test
  void atLeastEightExamplesExistAndEachCarriesTheEditorSchemaHeader() throws IOException {
    List<Path> files = examples();
    assertThat(files).hasSizeGreaterThanOrEqualTo(8);
    for (Path f : files) {
      assertThat(Files.readString(f))
          .as(f.toString())
          .startsWith("# yaml-language-server: $schema=../schema/partner-definition.schema.json");
    }
  }

  @TestFactory
  Stream<DynamicTest> everyExampleValidatesAndItsFixturesPass() throws IOException {
    return examples().stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    f.getFileName().toString(),
                    () -> {
                      Definition d = Definitions.parse(f);
                      assertThat(d.unusedSettings())
                          .as("settings %s declares that nothing uses", f.getFileName())
                          .isEmpty();
                      {
                        List<FixtureRunner.Result> results = FixtureRunner.run(d);
                        assertThat(results).isNotEmpty();
                        for (FixtureRunner.Result r : results) {
                          assertThat(r.passed())
                              .as(
                                  r.name()
                                      + "\n"
                                      + String.join("\n", r.diff())
                                      + "\n"
                                      + r.transcript())
                              .isTrue();
                        }
                      }
                    }));
  }
}
