package dev.weir.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile expressions of issue 20 stay regression tests: each fails its evaluation with a clear
 * reason, never the process (no heap exhaustion, no runaway thread), and broken definition files
 * are reported at a real line and column.
 */
class SandboxBoundsTest {
  private static final Map<String, Object> INPUT =
      Map.of("event", Map.of("event_type", "X", "user_id", "u"));

  private static Object eval(String expr) {
    return Template.compile(expr).evaluate(INPUT);
  }

  @Test
  void padWithAnExtremeWidthFailsBeforeAllocating() {
    for (String width :
        new String[] {
          "-2147483648", "-2147483649", "2147483648", "4294967296", "1e300", "-1e300"
        }) {
      assertThatThrownBy(() -> eval("$pad('x', " + width + ")"))
          .as(width)
          .isInstanceOf(TemplateException.class)
          .hasMessageContaining("$pad width");
    }
    assertThat(eval("$pad('x', -3, '#')")).isEqualTo("##x");
    assertThat(eval("$pad('x', 3)")).isEqualTo("x  ");
  }

  @Test
  void joiningManyLargeStringsFailsBeforeTheResultIsBuilt() {
    // 15,000 strings of 60,000 characters: each is under every per-value cap, together 900 M.
    Template t =
        Template.compile(
            "$join([1..15000].$pad('', 60000, 'x'))",
            new Template.Limits(60_000, 200, 1 << 20, 100_000)); // the budget, not the clock
    assertThatThrownBy(() -> t.evaluate(INPUT))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("characters");
    // the join of a few within the cap still works
    assertThat((String) eval("$join([1..3].$pad('', 10, 'x'), ',')")).hasSize(32);
  }

  @Test
  void joinRefusesAResultOverTheCapBeforeBuildingIt() {
    Template t =
        Template.compile(
            "$join($list)", new Template.Limits(1000, 200, 1000, 100_000, 1 << 30, 1 << 30));
    java.util.List<String> list = java.util.Collections.nCopies(200, "x".repeat(10));
    assertThatThrownBy(() -> t.evaluate(INPUT, Map.of("list", list)))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("$join result of 2000 characters");
  }

  @Test
  void aBacktrackingRegexStopsAtTheDeadlineNotAfterIt() {
    // java.util.regex backtracks exponentially on a backreference after a nested quantifier: on
    // 26 characters this pattern takes ~26 s unbounded (measured on JDK 17), on 40 for ever.
    String subject = "a".repeat(40) + "!";
    for (String expr :
        new String[] {
          "$match('" + subject + "', /^(a+)+\\1$/)",
          "$contains('" + subject + "', /^(a+)+\\1$/)",
          "$replace('" + subject + "', /^(a+)+\\1$/, 'y')",
          "$split('" + subject + "', /^(a+)+\\1$/)"
        }) {
      Template t = Template.compile(expr, new Template.Limits(200, 200, 1 << 20, 100_000));
      long start = System.nanoTime();
      assertThatThrownBy(() -> t.evaluate(INPUT))
          .as(expr)
          .isInstanceOf(TemplateException.class)
          .hasMessageContaining("regular expression");
      // not a timing assertion of speed: a runaway regex would take hours, the bound is the limit
      assertThat((System.nanoTime() - start) / 1_000_000).as(expr).isLessThan(20_000);
    }
    assertThat(eval("$match('ab12', /[0-9]+/).match")).isEqualTo("12");
    assertThat(eval("$replace('a-b-c', /-/, '+')")).isEqualTo("a+b+c");
    assertThat(eval("$split('a1b2c', /[0-9]/)")).isEqualTo(java.util.List.of("a", "b", "c"));
    assertThat(eval("$contains('abc', /b/)")).isEqualTo(true);
    assertThat(eval("event.user_id ~> $contains(/u/)")).isEqualTo(true);
  }

  @Test
  void aTwoMegabyteStringLiteralIsRefusedAtCompileTimeQuickly() {
    String literal = "'" + "x".repeat(2 * 1024 * 1024) + "'";
    assertThatThrownBy(() -> Template.compile(literal))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("characters long");
    String deep = "(".repeat(5000) + "1" + ")".repeat(5000);
    assertThatThrownBy(() -> Template.compile(deep))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("nested");
  }

  @Test
  void theDocumentedTimeLimitIsTheOneInForce() throws Exception {
    assertThat(Template.Limits.DEFAULT.timeoutMillis()).isEqualTo(1000);
    String doc =
        Files.readString(Path.of("../../docs/partner-definitions.md"), StandardCharsets.UTF_8);
    assertThat(doc).contains("bounded: 1 s (1000 ms)").doesNotContain("bounded: 500 ms");
  }

  @Test
  void invalidUtf8InADefinitionIsReportedAtItsLineAndColumn(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.yaml");
    byte[] head = "apiVersion: weir/v1\nkind: Destination\nmetadata:\n  name: \"ab".getBytes();
    byte[] bad = {(byte) 0xC3, (byte) 0x28};
    byte[] tail = "\"\n".getBytes();
    byte[] all = new byte[head.length + bad.length + tail.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(bad, 0, all, head.length, bad.length);
    System.arraycopy(tail, 0, all, head.length + bad.length, tail.length);
    Files.write(f, all);
    DefinitionException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            DefinitionException.class, () -> Definitions.parse(f));
    assertThat(e).isNotNull();
    Problem p = e.problems().get(0);
    assertThat(p.message()).contains("UTF-8");
    assertThat(p.line()).isEqualTo(4);
    assertThat(p.column()).isEqualTo(12);
  }

  @Test
  void nestingOverTheLimitIsReportedAtARealLine() {
    String text = "apiVersion: weir/v1\nkind: Destination\nmetadata: " + "[".repeat(1200) + "\n";
    DefinitionException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            DefinitionException.class, () -> Definitions.parse("deep.yaml", text));
    assertThat(e).isNotNull();
    Problem p = e.problems().get(0);
    assertThat(p.line()).isEqualTo(3);
    assertThat(p.column()).isGreaterThan(1);
    assertThat(p.message()).containsIgnoringCase("nest");
  }
}
