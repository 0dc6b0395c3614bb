package dev.weir.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The corpus of broken definitions under src/test/resources/broken: each file names in its header
 * the line, path and message of the problem it must produce; the parser must report exactly that,
 * located in that file.
 */
class BrokenDefinitionsTest {
  static final Path CORPUS = Path.of("src/test/resources/broken");
  private static final Pattern HEADER = Pattern.compile("# expect-(line|path|message): ?(.*)");

  static List<Path> corpus() throws IOException {
    try (Stream<Path> s = Files.list(CORPUS)) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  @Test
  void theCorpusHoldsAtLeastTwentyDistinctMistakes() throws IOException {
    assertThat(corpus()).hasSizeGreaterThanOrEqualTo(20);
  }

  @TestFactory
  Stream<DynamicTest> eachBrokenDefinitionProducesItsPreciselyLocatedProblem() throws IOException {
    return corpus().stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    f.getFileName().toString(),
                    () -> {
                      String text = Files.readString(f);
                      int line = -1;
                      String path = null;
                      String message = null;
                      for (String l : text.split("\n")) {
                        Matcher m = HEADER.matcher(l);
                        if (m.matches()) {
                          switch (m.group(1)) {
                            case "line" -> line = Integer.parseInt(m.group(2).trim());
                            case "path" -> path = m.group(2).trim();
                            default -> message = m.group(2).trim();
                          }
                        }
                      }
                      DefinitionException e =
                          catchThrowableOfType(
                              DefinitionException.class, () -> Definitions.parse(f));
                      assertThat(e).as("%s must be rejected", f).isNotNull();
                      final int wantLine = line;
                      final String wantPath = path;
                      final String wantMessage = message;
                      assertThat(e.problems())
                          .as("problems of %s", f)
                          .anySatisfy(
                              p -> {
                                assertThat(p.file()).isEqualTo(f.toString());
                                assertThat(p.path()).isEqualTo(wantPath);
                                assertThat(p.message()).contains(wantMessage);
                                if (wantLine > 0) {
                                  assertThat(p.line()).isEqualTo(wantLine);
                                } else {
                                  assertThat(p.line()).isPositive();
                                }
                              });
                    }));
  }

  @Test
  void everyProblemInAFileIsReportedAtOnceInLineOrder() {
    String text =
        """
        apiVersion: weir.dev/v1
        kind: Destination
        metadata:
          id: multi
          name: Multi
          version: one
          partner: P
          category: crm
          colour: blue
        requests:
          - name: a
            trigger: {event_types: [X]}
            method: FETCH
            url: "https://x.example/{{ settings.nope }}"
        tests:
          - name: t
            events: [{event_type: X}]
            expect: {}
        """;
    DefinitionException e =
        catchThrowableOfType(
            DefinitionException.class, () -> Definitions.parse("multi.yaml", text));
    assertThat(e.problems()).extracting(Problem::line).containsSubsequence(6, 9, 13, 14);
    assertThat(e.problems())
        .extracting(Problem::path)
        .contains("/metadata/version", "/metadata/colour", "/requests/0/method", "/requests/0/url");
    assertThat(e.getMessage()).contains("multi.yaml:9:3: /metadata/colour: unknown key 'colour'");
    assertThat(e.getMessage())
        .contains("unknown key 'colour'; expected one of: id, name, version, partner");
  }

  @Test
  void aMissingFileIsAProblemNotACrash() {
    assertThatThrownBy(() -> Definitions.parse(Path.of("no/such/file.yaml")))
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("cannot read the file");
  }
}
