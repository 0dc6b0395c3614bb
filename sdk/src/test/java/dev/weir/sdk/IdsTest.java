package dev.weir.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdsTest {
  @TempDir Path root;

  @Test
  void namesAreIdsAndPathsAreNot() {
    for (String ok : new String[] {"crm", "crm-hook", "a.b_c-1", "1.3.0", "X".repeat(128)}) {
      assertThat(Ids.isValid(ok)).as(ok).isTrue();
    }
    for (String bad :
        new String[] {
          null,
          "",
          ".",
          "..",
          "../canary",
          "..%2Fcanary",
          "/tmp/x",
          "a/b",
          "a\\b",
          ".hidden",
          "-x",
          "a b",
          "a\u0000b",
          "é",
          "X".repeat(129),
          "a:b",
          "C:x"
        }) {
      assertThat(Ids.isValid(bad)).as(String.valueOf(bad)).isFalse();
    }
  }

  @Test
  void anInvalidIdIsRefusedWithAClearMessageThatDoesNotEchoItWhole() {
    assertThatThrownBy(() -> Ids.require("destination id", "../" + "x".repeat(500) + "\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("destination id '../xxx")
        .hasMessageContaining("...'")
        .hasMessageContaining("letters, digits")
        .hasMessageNotContaining("\n");
  }

  @Test
  void fileIsDirectlyInsideTheRootOrRefused() {
    assertThat(Ids.file(root, "crm", ".ndjson"))
        .isEqualTo(root.toAbsolutePath().normalize().resolve("crm.ndjson"));
    assertThat(Ids.file(root.resolve("sub/../"), "a..b", ".json").getParent())
        .isEqualTo(root.toAbsolutePath().normalize().resolve("sub").getParent());
    assertThatThrownBy(() -> Ids.file(root, "..", "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Ids.file(root, "crm", "/../../x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside");
    assertThatThrownBy(() -> Ids.file(root, "../canary", ".ndjson"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
