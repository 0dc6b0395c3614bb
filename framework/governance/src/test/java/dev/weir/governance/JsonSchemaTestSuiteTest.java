package dev.weir.governance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the official JSON-Schema-Test-Suite (required tests of draft 2020-12 and draft-07, vendored
 * under {@code src/test/resources/json-schema-test-suite}) through the same schema compiler the
 * plan loader uses, so a property schema in a tracking plan behaves like JSON Schema anywhere else.
 * Cases the validator library is known to get wrong are listed in {@code known-failures.txt} and
 * skipped; any other failing case fails the build.
 */
class JsonSchemaTestSuiteTest {
  static final Path SUITE = Path.of("src/test/resources/json-schema-test-suite");
  static final String REMOTE = "http://localhost:1234/";

  static final SchemaCompiler COMPILER =
      new SchemaCompiler(
          uri -> {
            if (!uri.startsWith(REMOTE)) {
              return null;
            }
            try {
              Path file = SUITE.resolve("remotes").resolve(uri.substring(REMOTE.length()));
              return Files.isRegularFile(file) ? Files.readString(file) : null;
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });

  static final Set<String> KNOWN_FAILURES = knownFailures();

  static Set<String> knownFailures() {
    try {
      return Files.readAllLines(SUITE.resolve("known-failures.txt")).stream()
          .map(String::strip)
          .filter(s -> !s.isEmpty() && !s.startsWith("#"))
          .collect(Collectors.toSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @TestFactory
  Stream<DynamicNode> draft2020_12() throws IOException {
    return draft("draft2020-12", SchemaCompiler.DRAFT_2020_12);
  }

  @TestFactory
  Stream<DynamicNode> draft7() throws IOException {
    return draft("draft7", SchemaCompiler.DRAFT_7);
  }

  private Stream<DynamicNode> draft(String name, String dialect) throws IOException {
    List<DynamicNode> files = new ArrayList<>();
    try (Stream<Path> list = Files.list(SUITE.resolve("tests").resolve(name))) {
      for (Path file : list.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        JsonNode groups = Fixtures.JSON.readTree(file.toFile());
        List<DynamicNode> nodes = new ArrayList<>();
        for (JsonNode group : groups) {
          String groupName = group.get("description").asText();
          for (JsonNode test : group.get("tests")) {
            String id =
                name
                    + "/"
                    + file.getFileName()
                    + " | "
                    + groupName
                    + " | "
                    + test.get("description").asText();
            nodes.add(
                DynamicTest.dynamicTest(
                    groupName + ": " + test.get("description").asText(),
                    () ->
                        runCase(
                            id,
                            group.get("schema"),
                            dialect,
                            test.get("data"),
                            test.get("valid").asBoolean())));
          }
        }
        files.add(DynamicContainer.dynamicContainer(file.getFileName().toString(), nodes));
      }
    }
    return files.stream();
  }

  private static void runCase(
      String id, JsonNode schemaNode, String dialect, JsonNode data, boolean valid) {
    boolean known = KNOWN_FAILURES.contains(id);
    Boolean actual;
    String detail;
    try {
      Schema schema = COMPILER.compile(schemaNode, dialect, "$");
      List<com.networknt.schema.Error> errors = schema.validate(data);
      actual = errors.isEmpty();
      detail = errors.toString();
    } catch (RuntimeException e) {
      actual = null;
      detail = e.toString();
    }
    boolean passed = actual != null && actual == valid;
    if (known) {
      Assumptions.assumeTrue(passed, "known failure of the validator library: " + id);
      return;
    }
    assertThat(passed)
        .as(
            "%s: expected %s, got %s (%s)",
            id,
            valid ? "valid" : "invalid",
            actual == null ? "a compile error" : actual ? "valid" : "invalid",
            detail)
        .isTrue();
  }
}
