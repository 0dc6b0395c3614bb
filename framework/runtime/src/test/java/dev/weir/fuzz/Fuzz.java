package dev.weir.fuzz;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The parser fuzz suite's engine (workspace loader, definition parser, tracking-plan loader, store
 * query body): takes good inputs and breaks them, in the tree (a value swapped for a hostile one, a
 * key dropped, misspelt or added, a node copied wide or nested deep, two inputs crossed) and in the
 * text (cut, spans deleted or repeated, bytes inserted including invalid UTF-8, YAML anchors, alias
 * bombs, tags and document markers). Deterministic for a seed.
 *
 * <p>{@link #run} feeds {@link #iterations} inputs to a check and fails with every input the check
 * threw on (or that took longer than {@link #HANG}), after writing each one to {@code
 * target/fuzz-failures/<target>/}; copy such a file to {@code
 * src/test/resources/fuzz-regressions/<target>/}, where {@link #regressions} hands it back to the
 * test on every run. {@code -Dweir.fuzz.seed=N} replays a run, {@code -Dweir.fuzz.iterations=N}
 * runs longer (each test's default is bounded for {@code mvn verify}). Not thread-safe.
 */
public final class Fuzz {
  /** The run's seed: {@code -Dweir.fuzz.seed}, else fixed, so {@code mvn verify} is repeatable. */
  public static final long SEED = Long.getLong("weir.fuzz.seed", 20_261_203L);

  /**
   * An input that takes longer than this is a hang (a liveness bound, not a performance claim: it
   * is generous so a loaded machine never trips it).
   */
  public static final Duration HANG = Duration.ofSeconds(30);

  /** Inputs stay below this many characters (a mutated tree that grows past it is not used). */
  public static final int MAX_INPUT = 1 << 20;

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** Writers that emit what the readers must refuse (nesting past their limits). */
  private static final StreamWriteConstraints DEEP =
      StreamWriteConstraints.builder().maxNestingDepth(10_000).build();

  private static final ObjectMapper JSON =
      new ObjectMapper(JsonFactory.builder().streamWriteConstraints(DEEP).build());
  private static final YAMLMapper YAML =
      new YAMLMapper(YAMLFactory.builder().streamWriteConstraints(DEEP).build());

  /** Values that break naive conversions, path handling and reference resolution. */
  private static final List<JsonNode> HOSTILE = new ArrayList<>();

  /** Text that means something to a YAML or JSON reader, or to Weir's own syntax. */
  private static final String[] SPECIAL = {
    "&a ",
    "*a",
    "<<: *a\n",
    "!!binary ",
    "!!java.net.URL ",
    "!<tag:yaml.org,2002:str> ",
    "? ",
    ": ",
    "- ",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "{",
    "}",
    "[",
    "]",
    "'",
    "\"",
    "#",
    "|\n",
    ">-\n",
    "\t",
    "\r",
    "\n  ",
    "\u0000",
    "\uFEFF",
    "\\u0000",
    "${env:",
    "${file:",
    "}}",
    "{{",
    "$.",
    ",",
    "\u2028",
    "\uD83D\uDE00",
  };

  static {
    for (String s :
        new String[] {
          "",
          " ",
          "null",
          "~",
          "true",
          "NaN",
          ".inf",
          "-0",
          "0x1F",
          "1e400",
          "-1e400",
          "99999999999999999999999",
          "+999999999-12-31T23:59:59Z",
          "-999999999-01-01T00:00:00Z",
          "2024-01-01T00:00:00+25:00",
          "yesterday",
          "${env:WEIR_FUZZ_UNSET}",
          "${env:}",
          "${env:A:-${env:B}}",
          "${file:/etc/passwd}",
          "${file:../../../../etc/hostname}",
          "${nope:x}",
          "$${env:HOME}",
          "../../../../tmp/weir-fuzz-escape",
          "/tmp/weir-fuzz-abs",
          "..",
          "a/b",
          "A B",
          "UPPER_case",
          "\u0000",
          "\uD800",
          "\u202Eevil",
          "%00",
          "%2e%2e%2f",
          "{{ settings.nope }}",
          "{{",
          "}}",
          "$",
          "$.events[*]",
          "**",
          "[a-",
          "(a+)+$",
          "http://",
          "https://[::1",
          "ftp://x",
          "file:///etc/passwd",
          "javascript:alert(1)",
          "\u65e5\u672c\u8a9e",
        }) {
      HOSTILE.add(F.textNode(s));
    }
    HOSTILE.add(F.textNode("x".repeat(70_000)));
    HOSTILE.add(F.numberNode(0));
    HOSTILE.add(F.numberNode(-1));
    HOSTILE.add(F.numberNode(1));
    HOSTILE.add(F.numberNode(65_536));
    HOSTILE.add(F.numberNode(Integer.MAX_VALUE));
    HOSTILE.add(F.numberNode(Integer.MIN_VALUE));
    HOSTILE.add(F.numberNode(Long.MAX_VALUE));
    HOSTILE.add(F.numberNode(Long.MIN_VALUE));
    HOSTILE.add(F.numberNode(new BigInteger("9223372036854775808")));
    HOSTILE.add(F.numberNode(1e308));
    HOSTILE.add(F.numberNode(-0.0));
    HOSTILE.add(F.numberNode(1.5));
    HOSTILE.add(F.numberNode(4.9e-324));
    HOSTILE.add(F.booleanNode(true));
    HOSTILE.add(F.booleanNode(false));
    HOSTILE.add(F.nullNode());
    HOSTILE.add(F.objectNode());
    HOSTILE.add(F.arrayNode());
    HOSTILE.add(F.arrayNode().add(F.nullNode()));
    HOSTILE.add(F.objectNode().set("", F.nullNode()));
  }

  private final SplittableRandom rnd;

  /** A generator for {@code seed}; give each test its own, derived from {@link #SEED}. */
  public Fuzz(long seed) {
    this.rnd = new SplittableRandom(seed);
  }

  /** {@code -Dweir.fuzz.iterations}, else {@code bounded} (what {@code mvn verify} runs). */
  public static int iterations(int bounded) {
    return Integer.getInteger("weir.fuzz.iterations", bounded);
  }

  /** A broken copy of one of {@code good} (JSON or YAML text), as YAML. */
  public byte[] yaml(List<String> good) {
    return bytes(mutate(good, YAML));
  }

  /** A broken copy of one of {@code good} (JSON text), as JSON. */
  public byte[] json(List<String> good) {
    return bytes(mutate(good, JSON));
  }

  /**
   * UTF-8, and now and then a byte no UTF-8 reader accepts (a lone lead byte, 0xFF, a UTF-16 BOM).
   */
  private byte[] bytes(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    if (rnd.nextInt(12) != 0) {
      return b;
    }
    byte[][] bad = {
      {(byte) 0xC3},
      {(byte) 0xFF},
      {(byte) 0xFE, (byte) 0xFF},
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80}
    };
    byte[] ins = bad[rnd.nextInt(bad.length)];
    int at = rnd.nextInt(b.length + 1);
    byte[] out = new byte[b.length + ins.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(ins, 0, out, at, ins.length);
    System.arraycopy(b, at, out, at + ins.length, b.length - at);
    return out;
  }

  private String mutate(List<String> good, ObjectMapper writer) {
    String base = good.get(rnd.nextInt(good.size()));
    try {
      int kind = rnd.nextInt(10);
      if (kind < 6) {
        // Tree mutations: the input stays well-formed, so checks beyond the reader are reached.
        JsonNode tree = YAML.readTree(base);
        JsonNode other = YAML.readTree(good.get(rnd.nextInt(good.size())));
        int rounds = 1 + rnd.nextInt(3);
        for (int i = 0; i < rounds; i++) {
          tree = mutateTree(tree, other);
        }
        String text = writer.writeValueAsString(tree);
        if (text.length() > MAX_INPUT) {
          // copies of nested copies grow without bound: what a user could write stays small
          return mutateText(base);
        }
        return kind == 5 ? mutateText(text) : text;
      }
      return mutateText(kind < 8 ? base : writer.writeValueAsString(YAML.readTree(base)));
    } catch (IOException e) {
      throw new UncheckedIOException("a seed input must be valid: " + base, e);
    }
  }

  /** {@code tree} with one node changed; {@code other} is a second good input to cross with. */
  public JsonNode mutateTree(JsonNode tree, JsonNode other) {
    List<JsonNode> containers = new ArrayList<>();
    collect(tree, containers);
    if (containers.isEmpty()) {
      return hostile();
    }
    JsonNode at = containers.get(rnd.nextInt(containers.size()));
    if (at instanceof ObjectNode o && o.size() > 0) {
      List<String> keys = new ArrayList<>();
      o.fieldNames().forEachRemaining(keys::add);
      String key = keys.get(rnd.nextInt(keys.size()));
      switch (rnd.nextInt(9)) {
        case 0 -> o.remove(key);
        case 1 -> {
          JsonNode v = o.remove(key);
          o.set(misspell(key), v);
        }
        case 2 -> o.set(misspell(key), hostile());
        case 3 -> o.set(key, wide(o.get(key)));
        case 4 -> o.set(key, deep(o.get(key)));
        case 5 -> o.set(key, pick(other));
        default -> o.set(key, hostile());
      }
    } else if (at instanceof ArrayNode a && a.size() > 0) {
      int i = rnd.nextInt(a.size());
      switch (rnd.nextInt(6)) {
        case 0 -> a.remove(i);
        case 1 -> a.add(a.get(i).deepCopy());
        case 2 -> a.set(i, wide(a.get(i)));
        case 3 -> a.set(i, pick(other));
        default -> a.set(i, hostile());
      }
    } else if (at instanceof ObjectNode o) {
      o.set("x", hostile());
    } else if (at instanceof ArrayNode a) {
      a.add(hostile());
    }
    return tree;
  }

  /** {@code text} cut, repeated, or with bytes and YAML/JSON syntax inserted. */
  public String mutateText(String text) {
    int n = text.length();
    int at = n == 0 ? 0 : rnd.nextInt(n + 1);
    int end = Math.min(n, at + rnd.nextInt(40));
    return switch (rnd.nextInt(9)) {
      case 0 -> text.substring(0, at);
      case 1 -> text.substring(0, at) + text.substring(end);
      case 2 ->
          text.substring(0, end)
              + text.substring(at, end).repeat(2 + rnd.nextInt(50))
              + text.substring(end);
      case 3 -> text.substring(0, at) + SPECIAL[rnd.nextInt(SPECIAL.length)] + text.substring(at);
      case 4 -> text.substring(0, at) + (char) rnd.nextInt(0x20) + text.substring(at);
      case 5 -> text.substring(0, at) + (char) (0xD800 + rnd.nextInt(0x800)) + text.substring(at);
      case 6 -> aliasBomb() + text;
      case 7 -> text.replace(":", rnd.nextBoolean() ? ":\t" : " :");
      default -> text + "\n" + text;
    };
  }

  /** A hostile value; occasionally one of the good input's own values in the wrong place. */
  private JsonNode hostile() {
    return HOSTILE.get(rnd.nextInt(HOSTILE.size())).deepCopy();
  }

  private JsonNode pick(JsonNode other) {
    List<JsonNode> all = new ArrayList<>();
    collectAll(other, all);
    return all.isEmpty() ? hostile() : all.get(rnd.nextInt(all.size())).deepCopy();
  }

  private JsonNode wide(JsonNode v) {
    ArrayNode a = F.arrayNode();
    List<JsonNode> nodes = new ArrayList<>();
    if (v != null) {
      collectAll(v, nodes);
    }
    int copies = rnd.nextBoolean() ? 2 + rnd.nextInt(10) : 1_000 + rnd.nextInt(5_000);
    copies = Math.max(1, Math.min(copies, 50_000 / (1 + nodes.size()))); // wide, not huge
    for (int i = 0; i < copies; i++) {
      a.add(v == null ? F.nullNode() : v.deepCopy());
    }
    return a;
  }

  private JsonNode deep(JsonNode v) {
    JsonNode n = v == null ? F.nullNode() : v.deepCopy();
    int depth = rnd.nextBoolean() ? 1 + rnd.nextInt(20) : 100 + rnd.nextInt(900);
    for (int i = 0; i < depth; i++) {
      n = rnd.nextBoolean() ? F.arrayNode().add(n) : F.objectNode().set("k", n);
    }
    return n;
  }

  private String misspell(String key) {
    if (key.isEmpty()) {
      return "_";
    }
    int i = rnd.nextInt(key.length());
    return switch (rnd.nextInt(5)) {
      case 0 -> key.substring(0, i) + key.substring(i + 1);
      case 1 -> key.substring(0, i) + key.charAt(i) + key.substring(i);
      case 2 -> key.toUpperCase(java.util.Locale.ROOT);
      case 3 -> key.replace('_', '-');
      default -> key + "_x";
    };
  }

  private String aliasBomb() {
    StringBuilder b = new StringBuilder("bomb0: &b0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    int levels = 3 + rnd.nextInt(8);
    for (int i = 1; i <= levels; i++) {
      b.append("bomb").append(i).append(": &b").append(i).append(" [");
      for (int j = 0; j < 9; j++) {
        b.append(j == 0 ? "" : ",").append("*b").append(i - 1);
      }
      b.append("]\n");
    }
    return b.toString();
  }

  private static void collect(JsonNode n, List<JsonNode> out) {
    if (n.isContainerNode()) {
      out.add(n);
      for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
        collect(it.next(), out);
      }
    }
  }

  private static void collectAll(JsonNode n, List<JsonNode> out) {
    out.add(n);
    for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
      collectAll(it.next(), out);
    }
  }

  /**
   * What a check does with one input: throwing (or hanging) is a failure; otherwise it says how the
   * input was taken ({@code "loaded"}, {@code "refused"}...), so a test can show that its inputs
   * reach past the reader.
   */
  @FunctionalInterface
  public interface Check {
    String accept(byte[] input) throws Exception;
  }

  /**
   * Runs {@code check} on {@code count} inputs from {@code inputs}; fails listing every input that
   * made it throw or hang (each kept under {@code target/fuzz-failures/<target>/}). Returns how
   * many inputs ended in each of the check's outcomes.
   */
  public static Map<String, Integer> run(
      String target, int count, java.util.function.IntFunction<byte[]> inputs, Check check) {
    List<String> failures = new ArrayList<>();
    Map<String, Integer> outcomes = new java.util.TreeMap<>();
    ExecutorService worker = Executors.newSingleThreadExecutor(r -> daemon(r, target));
    try {
      for (int i = 0; i < count && failures.size() < 10; i++) {
        byte[] input = inputs.apply(i);
        Future<String> f = worker.submit(() -> check.accept(input));
        String why = null;
        try {
          outcomes.merge(
              String.valueOf(f.get(HANG.toMillis(), TimeUnit.MILLISECONDS)), 1, Integer::sum);
        } catch (TimeoutException e) {
          f.cancel(true);
          why = "hang: no answer within " + HANG.toSeconds() + " s";
          worker.shutdownNow(); // the stuck thread is abandoned; go on with a fresh one
          worker = Executors.newSingleThreadExecutor(r -> daemon(r, target));
        } catch (ExecutionException e) {
          Throwable t = e.getCause();
          why = t.getClass().getName() + ": " + t.getMessage() + at(t);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
        if (why != null) {
          failures.add(
              "input " + i + " (seed " + SEED + ") kept at " + keep(target, input) + ": " + why);
        }
      }
    } finally {
      worker.shutdownNow();
    }
    if (!failures.isEmpty()) {
      throw new AssertionError(
          target
              + ": "
              + failures.size()
              + " input(s) broke the parser:\n"
              + String.join("\n", failures));
    }
    System.out.println(
        "fuzz " + target + " (seed " + SEED + ", " + count + " inputs): " + outcomes);
    return outcomes;
  }

  private static String at(Throwable t) {
    StackTraceElement[] st = t.getStackTrace();
    return st.length == 0 ? "" : " at " + st[0];
  }

  private static Thread daemon(Runnable r, String target) {
    Thread t = new Thread(r, "fuzz-" + target);
    t.setDaemon(true);
    return t;
  }

  /** Writes a failing input where a developer finds it; returns the file. */
  public static Path keep(String target, byte[] bytes) {
    try {
      Path dir = Files.createDirectories(Path.of("target", "fuzz-failures", target));
      String name =
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 6);
      return Files.write(dir.resolve(name + ".txt"), bytes).toAbsolutePath();
    } catch (IOException | NoSuchAlgorithmException e) {
      return Path.of("(not kept: " + e + ")");
    }
  }

  /**
   * One test per kept regression input of {@code target} (see {@link #regressions}), each running
   * {@code check} under the same {@link #HANG} bound as the fuzz run.
   */
  public static List<DynamicTest> replay(String target, Check check) {
    List<DynamicTest> tests = new ArrayList<>();
    regressions(target)
        .forEach(
            (name, input) ->
                tests.add(
                    DynamicTest.dynamicTest(
                        name, () -> assertTimeoutPreemptively(HANG, () -> check.accept(input)))));
    return tests;
  }

  /**
   * The kept regression inputs for {@code target}: every file under {@code
   * src/test/resources/fuzz-regressions/<target>/}, by name.
   */
  public static Map<String, byte[]> regressions(String target) {
    Path dir = Path.of("src", "test", "resources", "fuzz-regressions", target);
    Map<String, byte[]> out = new java.util.TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.put(f.getFileName().toString(), Files.readAllBytes(f));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
