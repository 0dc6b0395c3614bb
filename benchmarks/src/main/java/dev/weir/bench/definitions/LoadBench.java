package dev.weir.bench.definitions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.weir.definitions.Definition;
import dev.weir.definitions.DefinitionRegistry;
import dev.weir.definitions.Definitions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Load time for 500 definitions: full validation and compilation (schema, expressions, fixtures)
 * from text, and a directory scan into a registry, against merely reading the same 500 YAML
 * documents into Jackson trees. Run: {@code java -jar benchmarks/target/benchmarks.jar
 * definitions.LoadBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LoadBench {
  static final int COUNT = 500;
  static final YAMLMapper YAML = new YAMLMapper();
  List<String> texts;
  Path dir;

  @Setup
  public void setup() throws Exception {
    texts = new ArrayList<>();
    dir = Files.createTempDirectory("defs-bench");
    for (int i = 0; i < COUNT; i++) {
      String t = AdsMapping.definition("ads-" + i, "1." + (i % 7) + ".0");
      texts.add(t);
      Files.writeString(dir.resolve("def-" + i + ".yaml"), t);
    }
  }

  @TearDown
  public void tearDown() throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public List<Definition> parseAndValidate500() throws Exception {
    List<Definition> out = new ArrayList<>(COUNT);
    for (int i = 0; i < COUNT; i++) {
      out.add(Definitions.parse("def-" + i + ".yaml", texts.get(i)));
    }
    return out;
  }

  @Benchmark
  public DefinitionRegistry.ScanReport scanDirectoryOf500() {
    DefinitionRegistry reg = new DefinitionRegistry();
    return reg.scan(dir);
  }

  @Benchmark
  public List<JsonNode> baselineYamlReadTree500() throws Exception {
    List<JsonNode> out = new ArrayList<>(COUNT);
    for (String t : texts) {
      out.add(YAML.readTree(t));
    }
    return out;
  }
}
