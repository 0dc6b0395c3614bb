package dev.weir.connectors.kafkasource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.sdk.Event;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordFormatTest {
  private static final long RECORD_TIME = 1_700_000_000_000L;

  private static Event parse(String format, String json) throws Exception {
    return RecordFormat.named(format, 5).parse(json.getBytes(StandardCharsets.UTF_8), RECORD_TIME);
  }

  @Test
  void aCanonicalRecordsUploadTimeAndSourceIdAreIgnoredAndItsTimeDefaultsToTheRecordTimestamp()
      throws Exception {
    Event e =
        parse(
            "canonical",
            "{\"event_type\":\"A\",\"user_id\":\"user-1\",\"upload_time\":1,\"source_id\":\"x\"}");

    assertThat(e.uploadTime()).isNull(); // the host stamps its receive time
    assertThat(e.sourceId()).isNull();
    assertThat(e.time()).isEqualTo(RECORD_TIME);
  }

  @Test
  void aCanonicalRecordWithABadFieldIsDeadLetteredWithTheFieldNamed() {
    assertThatThrownBy(() -> parse("canonical", "{\"event_type\":\"A\",\"time\":\"yesterday\"}"))
        .isInstanceOf(RecordFormat.BadRecord.class)
        .hasMessageContaining("time");
  }

  @Test
  void invalidJsonIsReportedWithoutTheParsersInternalNames() {
    assertThatThrownBy(() -> parse("amplitude", "{\"event_type\":\"A\",\"x\":[" + "[".repeat(80)))
        .isInstanceOf(RecordFormat.BadRecord.class)
        .hasMessageContaining("nested deeper than 64 levels")
        .hasMessageNotContaining("StreamReadConstraints");
    assertThatThrownBy(() -> parse("segment", "{\"type\":\"track\",\"event\":\"a\u0001\"}"))
        .isInstanceOf(RecordFormat.BadRecord.class)
        .hasMessageNotContaining("JsonReadFeature")
        .hasMessageNotContaining("`");
  }
}
