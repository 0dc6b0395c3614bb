package dev.weir.definitions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.fuzz.Fuzz;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the definition parser with mutated copies of every example definition: a file either
 * parses or is refused with a {@link DefinitionException} whose every problem names the file, a
 * line and a message; nothing else escapes and nothing hangs. A definition that parses runs its own
 * fixtures (mapping, auth, requests and response classification, offline) without throwing. Inputs
 * that broke it are kept under {@code src/test/resources/fuzz-regressions/definition/} and
 * replayed. See {@link Fuzz} for {@code -Dweir.fuzz.seed} and {@code -Dweir.fuzz.iterations}
 * (default 300).
 */
class DefinitionFuzzTest {
  static final Path EXAMPLES =
      Path.of("../../portal-config-examples/definitions").toAbsolutePath().normalize();
  static final String TARGET = "definition";

  @TempDir Path dir;

  @Test
  void noMutatedDefinitionBreaksTheParserOrItsFixtures() throws IOException {
    List<String> seeds = seeds();
    Fuzz fuzz = new Fuzz(Fuzz.SEED ^ TARGET.hashCode());
    Map<String, Integer> outcomes =
        Fuzz.run(TARGET, Fuzz.iterations(300), i -> fuzz.yaml(seeds), this::check);
    assertThat(outcomes).as("mutations reach past the reader").containsKeys("parsed", "refused");
  }

  @TestFactory
  List<DynamicTest> keptRegressionInputsNoLongerBreakTheParser() {
    return Fuzz.replay(TARGET, this::check);
  }

  private String check(byte[] input) throws Exception {
    Path file = dir.resolve("fuzzed.yaml");
    Files.write(file, input);
    Definition def;
    try {
      def = Definitions.parse(file);
    } catch (DefinitionException refused) {
      assertThat(refused.problems()).isNotEmpty();
      for (Problem p : refused.problems()) {
        assertThat(p.file()).as(p.toString()).contains("fuzzed.yaml");
        assertThat(p.line()).as(p.toString()).isPositive();
        assertThat(p.message()).as(p.toString()).isNotBlank();
      }
      return "refused";
    }
    assertThat(FixtureRunner.run(def)).isNotNull();
    return "parsed";
  }

  static List<String> seeds() throws IOException {
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(EXAMPLES, "*.yaml")) {
      for (Path f : files) {
        out.add(Files.readString(f));
      }
    }
    assertThat(out).as("example definitions").hasSizeGreaterThan(10);
    return out;
  }
}
