package dev.weir.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConnectorSpecTest {

  @Test
  void settingsSchemaIsReadFromAResourceNextToTheConnector() {
    ConnectorSpec spec =
        ConnectorSpec.builder("demo")
            .settingsSchemaResource(ConnectorSpecTest.class, "/test-settings.schema.json")
            .build();
    assertThat(spec.settingsSchema()).contains("\"url\"");
  }

  @Test
  void aMissingSchemaResourceIsNamedInTheError() {
    assertThatThrownBy(
            () ->
                ConnectorSpec.builder("demo")
                    .settingsSchemaResource(ConnectorSpecTest.class, "/nope.schema.json"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("/nope.schema.json");
  }

  @Test
  void idsAndVersionsAreChecked() {
    assertThatThrownBy(() -> ConnectorSpec.builder("Bad Id")).hasMessageContaining("lower-case");
    assertThatThrownBy(() -> ConnectorSpec.builder("ok").version("1.0"))
        .hasMessageContaining("semver");
  }
}
