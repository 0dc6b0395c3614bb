package dev.weir.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {
  private static final String SECRET = "s3cr3t+value/42=";

  @Test
  void rawSecretIsMaskedAndTheWordsAroundItStay() {
    Redactor r = Redactor.of(List.of(SECRET));
    assertThat(r.redact("denied for " + SECRET + "; retry later"))
        .isEqualTo("denied for ***; retry later");
  }

  @Test
  void urlEncodedSecretInsideAUrlIsMasked() {
    Redactor r = Redactor.of(List.of(SECRET));
    String url =
        "https://api.example/track?key="
            + URLEncoder.encode(SECRET, StandardCharsets.UTF_8)
            + "&user=u1";
    assertThat(r.redact(url)).isEqualTo("https://api.example/track?key=***&user=u1");
  }

  @Test
  void percentTwentyEncodingOfASecretWithASpaceIsMasked() {
    Redactor r = Redactor.of(List.of("two words here"));
    assertThat(r.redact("q=two%20words%20here&x=1")).isEqualTo("q=***&x=1");
    assertThat(r.redact("q=two+words+here&x=1")).isEqualTo("q=***&x=1");
  }

  @Test
  void base64FormsOfASecretInsideABodyAreMasked() {
    Redactor r = Redactor.of(List.of(SECRET));
    byte[] bytes = SECRET.getBytes(StandardCharsets.UTF_8);
    String std = Base64.getEncoder().encodeToString(bytes);
    String url = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    assertThat(r.redact("{\"token\":\"" + std + "\",\"n\":1}"))
        .isEqualTo("{\"token\":\"***\",\"n\":1}");
    assertThat(r.redact("sig " + url + " end")).isEqualTo("sig *** end");
  }

  @Test
  void longerSecretIsMaskedWholeEvenWhenItContainsAShorterOne() {
    Redactor r = Redactor.of(List.of("abc123", "abc123-and-more"));
    assertThat(r.redact("x abc123-and-more y abc123")).isEqualTo("x *** y ***");
  }

  @Test
  void shortValuesAndNullsAreNotTreatedAsSecrets() {
    Redactor r = Redactor.of(java.util.Arrays.asList("1", null, "ab"));
    assertThat(r.redact("a 1 ab b")).isEqualTo("a 1 ab b");
    assertThat(r.secrets()).isEmpty();
  }

  @Test
  void credentialLookingValuesAreMaskedKeepingTheirNames() {
    Redactor r = Redactor.of(List.of("s3cr3t-value"));
    String out =
        r.redactCredentials(
            "denied for s3cr3t-value; Authorization: Bearer abc.def api_key=xyz123 ok");
    assertThat(out)
        .doesNotContain("s3cr3t-value", "abc.def", "xyz123")
        .contains("denied for ***", "Authorization", "api_key=***", " ok");
  }

  @Test
  void wordsAfterCredentialNamesStayWhenNoValueIsAssigned() {
    String out =
        Redactor.NONE.redactCredentials(
            "OAuth2 token endpoint https://a.example/token answered HTTP 401: "
                + "{\"error\":\"invalid_client\",\"access_token\":\"leak\"}; the authorization "
                + "server refused the client secret rotation; password reset");
    assertThat(out)
        .contains(
            "token endpoint https://a.example/token answered HTTP 401",
            "\"error\":\"invalid_client\"",
            "the authorization server refused the client secret rotation; password reset")
        .doesNotContain("leak");
  }

  @Test
  void withAddsSecretsAndKeepsTheOldOnes() {
    Redactor r = Redactor.of(List.of("first-secret")).with(List.of("second-secret"));
    assertThat(r.redact("first-secret second-secret")).isEqualTo("*** ***");
    assertThat(Redactor.NONE.redact(null)).isNull();
  }

  @Test
  void anotherMaskReplacesEveryFormAndKeepsTheSecretsWhenMoreAreAdded() {
    Redactor r = Redactor.of(List.of("s3cr3t/v+1")).masking("****");
    String b64 = java.util.Base64.getEncoder().encodeToString("s3cr3t/v+1".getBytes());
    assertThat(r.redactCredentials("k=s3cr3t%2Fv%2B1 b=" + b64 + " token=abc"))
        .isEqualTo("k=**** b=**** token=****");
    assertThat(r.with(List.of("other-secret")).redact("other-secret s3cr3t/v+1"))
        .isEqualTo("**** ****");
  }

  @Test
  void proseAboutCredentialsKeepsItsWordsWhileSchemeCredentialsAreMasked() {
    String prose =
        "token endpoint answered 500; Bearer token expired; basic plan; password reset required";
    assertThat(Redactor.NONE.redactCredentials(prose)).isEqualTo(prose);
    assertThat(
            Redactor.NONE.redactCredentials(
                "got Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig and Basic dXNlcjpwYXNz, then"))
        .isEqualTo("got Bearer *** and Basic ***, then");
  }
}
