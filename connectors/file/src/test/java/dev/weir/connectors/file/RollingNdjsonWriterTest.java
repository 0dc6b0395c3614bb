package dev.weir.connectors.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollingNdjsonWriterTest {
  @TempDir Path dir;

  @Test
  void aNewOpenFileHasItsDirectoryFsyncedBeforeTheFirstFsyncedBatchCounts() throws Exception {
    try (RollingNdjsonWriter w =
        new RollingNdjsonWriter(
            dir, "events", 1 << 20, Duration.ofHours(1), true, Clock.systemUTC())) {
      w.append(List.of("{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
      assertThat(w.directorySyncs).isEqualTo(1); // before any rotation
    }
  }
}
