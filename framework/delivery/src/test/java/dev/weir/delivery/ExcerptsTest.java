package dev.weir.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.runtime.Redactor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExcerptsTest {
  @Test
  void redactorRemovesKnownSecretsAndCredentialLookingValues() {
    Redactor r = Redactor.of(List.of("s3cr3t-value"));
    String out =
        Excerpts.clean(
            r, "denied for s3cr3t-value; Authorization: Bearer abc.def api_key=xyz123 ok");
    assertThat(out)
        .doesNotContain("s3cr3t-value", "abc.def", "xyz123")
        .contains("denied for", "ok");
    assertThat(Excerpts.clean(r, "x".repeat(5000))).hasSizeLessThan(2100);
  }

  @Test
  void nullOrEmptyTextBecomesEmpty() {
    assertThat(Excerpts.clean(Redactor.NONE, null)).isEmpty();
    assertThat(Excerpts.clean(Redactor.NONE, "")).isEmpty();
  }
}
