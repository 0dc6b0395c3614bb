package dev.weir.host.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeletionRequestsTest {
  @TempDir Path dir;
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T05:00:00Z"), ZoneOffset.UTC);

  @Test
  void requestsAreKeptPerDestinationInOrderAndSurviveANewInstance() {
    DeletionRequests q = new DeletionRequests(dir, clock);
    q.record("crm", "web", "u1");
    q.record("crm", "web", "u2");
    q.record("ads", "app", "u3");

    DeletionRequests reopened = new DeletionRequests(dir, clock);
    assertThat(reopened.pending("crm"))
        .extracting(m -> m.get("user_id"))
        .containsExactly("u1", "u2");
    assertThat(reopened.pending("ads"))
        .singleElement()
        .satisfies(
            m ->
                assertThat(m)
                    .containsEntry("source", "app")
                    .containsEntry("requested_at", "2026-11-22T05:00:00Z"));
    assertThat(reopened.pending("none")).isEmpty();
  }

  @Test
  void aTornLastLineFromACrashIsSkippedAndTheRequestsBeforeItAreKept() throws Exception {
    DeletionRequests q = new DeletionRequests(dir, clock);
    q.record("crm", "web", "u1");
    Files.writeString(
        dir.resolve("crm.jsonl"),
        "{\"destination\":\"crm\",\"us",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    assertThat(q.pending("crm")).extracting(m -> m.get("user_id")).containsExactly("u1");
  }

  @Test
  void aDestinationIdThatIsNotAPlainNameIsRefusedInsteadOfWritingOutsideTheDirectory() {
    DeletionRequests q = new DeletionRequests(dir, clock);
    assertThatThrownBy(() -> q.record("../escape", "web", "u1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Files.exists(dir.getParent().resolve("escape.jsonl"))).isFalse();
  }
}
