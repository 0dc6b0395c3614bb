package dev.weir.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStateStoreTest {
  @TempDir Path dir;

  @Test
  void aNewStoreOnTheSameDirectorySeesWhatTheOldOneWrote() throws Exception {
    FileStateStore first = new FileStateStore(dir);
    first.put("cursor", "42");
    first.put("gone", "x");
    first.delete("gone");
    FileStateStore second = new FileStateStore(dir);
    assertThat(second.get("cursor")).contains("42");
    assertThat(second.get("gone")).isEmpty();
    assertThat(second.snapshot()).containsExactly(java.util.Map.entry("cursor", "42"));
    assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactly("state.json");
  }

  @Test
  void runtimeContextOpensItsStateOnFirstUseInTheGivenDirectory() {
    RuntimeContext ctx = RuntimeContext.builder("c").stateDir(dir.resolve("c")).build();
    assertThat(Files.exists(dir.resolve("c"))).isFalse();
    ctx.state().put("k", "v");
    assertThat(new FileStateStore(dir.resolve("c")).get("k")).contains("v");
  }
}
