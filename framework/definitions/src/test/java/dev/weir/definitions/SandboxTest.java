package dev.weir.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Mapping expressions run sandboxed: escapes to files, system properties, environment, classes and
 * reflection have nothing to reach, and runaway loops, recursion and huge outputs stop with a
 * {@link TemplateException} instead of hanging or exhausting memory.
 */
class SandboxTest {
  private static final Map<String, Object> INPUT =
      Map.of("event", Map.of("event_type", "X", "user_id", "u"));

  private static Object eval(String expr) {
    return Template.compile(expr).evaluate(INPUT);
  }

  @Test
  void readingAFileHasNoFunctionToCall() {
    assertThatThrownBy(() -> eval("$readFile('/etc/passwd')"))
        .isInstanceOf(TemplateException.class);
    assertThatThrownBy(() -> eval("$file('/etc/passwd')")).isInstanceOf(TemplateException.class);
  }

  @Test
  void systemPropertiesAndEnvironmentAreNotReachable() {
    assertThatThrownBy(() -> eval("$getProperty('user.home')"))
        .isInstanceOf(TemplateException.class);
    assertThatThrownBy(() -> eval("$env('HOME')")).isInstanceOf(TemplateException.class);
    assertThat(eval("$eval('$getenv')")).isNull();
  }

  @Test
  void reflectionThroughFieldNamesFindsNothing() {
    assertThat(eval("event.class")).isNull();
    assertThat(eval("event.getClass")).isNull();
    assertThat(eval("$string(event.class.forName)")).isNull();
    assertThatThrownBy(() -> eval("event.getClass()")).isInstanceOf(TemplateException.class);
    Object r;
    try {
      r = eval("$java.lang.Runtime.getRuntime().exec('id')");
    } catch (TemplateException e) {
      r = null;
    }
    assertThat(r).isNull();
  }

  @Test
  void evalOfUntrustedTextStaysInsideTheSandbox() {
    assertThatThrownBy(() -> eval("$eval(\"$readFile('/etc/passwd')\")"))
        .isInstanceOf(TemplateException.class);
  }

  @Test
  void infiniteRecursionStopsWithAClearError() {
    assertThatThrownBy(() -> eval("($f := function($x){ 1 + $f($x + 1) }; $f(0))"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("deeper than");
    // a tail call is optimised into a loop by JSONata: the time limit stops it instead
    assertThatThrownBy(() -> eval("($f := function($x){ $f($x + 1) }; $f(0))"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("longer than");
  }

  @Test
  void aLongRunningLoopIsCutOffByTheTimeLimit() {
    Template t =
        Template.compile(
            "$sum([1..5000000].($ * 2))", new Template.Limits(100, 200, 1 << 20, 10_000_000));
    assertThatThrownBy(() -> t.evaluate(INPUT))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("longer than 100 ms");
  }

  @Test
  void hugeStringsAreRefusedBeforeTheyExhaustMemory() {
    assertThatThrownBy(
            () ->
                eval("($d := function($s, $n){ $n = 0 ? $s : $d($s & $s, $n - 1) }; $d('x', 40))"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("string grew beyond");
    assertThatThrownBy(() -> eval("$pad('x', 2000000000)"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("$pad width");
  }

  @Test
  void hugeArraysAreRefused() {
    assertThatThrownBy(() -> eval("[1..1000000]"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("array grew beyond");
  }

  @Test
  void helpersForAdPlatformsWork() {
    assertThat(eval("$sha256Email('  Foo@Bar.COM ')"))
        .isEqualTo(MappingFunctions.sha256("foo@bar.com"));
    assertThat(eval("$sha256Phone('+1 (555) 010-9999')"))
        .isEqualTo(MappingFunctions.sha256("15550109999"));
    assertThat(eval("$lower(' ABC ') & '|' & $trim(' a ')")).isEqualTo(" abc |a");
    assertThat(eval("$base64('weir')")).isEqualTo("d2Vpcg==");
    assertThat(eval("$hmacSha256('key', 'The quick brown fox jumps over the lazy dog')"))
        .isEqualTo("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    assertThat(eval("$uuid('a')")).isEqualTo(eval("$uuid('a')")).isNotEqualTo(eval("$uuid('b')"));
    assertThat((String) eval("$uuid()")).hasSize(36);
    assertThat(eval("$formatDate(1700000000000, 'yyyy-MM-dd')")).isEqualTo("2023-11-14");
    assertThat(eval("$formatDate(1700000000000)")).isEqualTo("2023-11-14T22:13:20Z");
  }

  @Test
  void aFailingMappingDeadLettersOnlyItsOwnEvent() throws Exception {
    Definition d =
        Definitions.parse(
            "t.yaml",
            """
        apiVersion: weir.dev/v1
        kind: Destination
        metadata: {id: t, name: T, version: 1.0.0, partner: P, category: other}
        requests:
          - name: a
            trigger: {where: "true"}
            method: POST
            url: https://x.example/
            body: '{"n": [events.($exists(event_properties.bad) ? $error("bad event") : event_type)]}'
        tests:
          - {name: t, events: [{event_type: X}], expect: {}}
        """);
    var plan =
        new RequestPlanner(d, Map.of())
            .plan(
                List.of(
                    dev.weir.sdk.Event.builder().eventType("A").build(),
                    dev.weir.sdk.Event.builder()
                        .eventType("B")
                        .eventProperties(Map.of("bad", true))
                        .build(),
                    dev.weir.sdk.Event.builder().eventType("C").build()),
                0);
    assertThat(plan.rejected()).containsOnlyKeys(1);
    assertThat(plan.rejected().get(1)).contains("bad event");
    assertThat(plan.requests())
        .flatExtracting(PlannedRequest::events)
        .containsExactlyInAnyOrder(0, 2);
  }
}
