package dev.weir.host.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionOrderTest {
  @Test
  void versionsSortNumericallyWithPreReleasesBeforeTheirRelease() {
    List<String> v =
        new ArrayList<>(List.of("1.10.0", "2.0.0", "1.9.0", "1.9.0-SNAPSHOT", "1.9.0.1", "0.1.0"));
    v.sort(ConnectorRegistry.Versions.ORDER);
    assertThat(v).containsExactly("0.1.0", "1.9.0-SNAPSHOT", "1.9.0", "1.9.0.1", "1.10.0", "2.0.0");
  }

  @Test
  void equalVersionsCompareAsEqual() {
    assertThat(ConnectorRegistry.Versions.compare("1.2.3", "1.2.3")).isZero();
  }
}
