package dev.weir.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.sdk.EventFormat;
import dev.weir.sdk.EventFormat.Parsed;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * The formats are offered to the host's offline tools as {@link EventFormat} services, reading what
 * the HTTP source reads: each event of a body in order, a bad one with its problems.
 */
class EventFormatServicesTest {
  private static final long NOW = 1_700_000_000_000L;

  private static EventFormat format(String name) {
    return ServiceLoader.load(EventFormat.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(f -> f.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void amplitudeAndSegmentAreFoundAsServices() {
    assertThat(ServiceLoader.load(EventFormat.class).stream().map(p -> p.get().name()))
        .containsExactlyInAnyOrder("amplitude", "segment");
  }

  @Test
  void anAmplitudeBodyGivesEachEventInOrderAndABadOneWithItsProblems() {
    List<Parsed> parsed =
        format("amplitude")
            .parse(
                "{\"api_key\":\"k\",\"events\":[{\"event_type\":\"Viewed\",\"user_id\":\"user-00001\"},"
                    + "{\"event_type\":\"Viewed\"}]}",
                NOW);
    assertThat(parsed).hasSize(2);
    assertThat(parsed.get(0).event().eventType()).isEqualTo("Viewed");
    assertThat(parsed.get(1).event()).isNull();
    assertThat(parsed.get(1).problems())
        .isEqualTo(
            AmplitudeFormat.parse(EventFormats.object("{\"event_type\":\"Viewed\"}"), 5, NOW, null)
                .problems()
                .stream()
                .map(FieldProblem::toString)
                .toList())
        .isNotEmpty();
  }

  @Test
  void oneAmplitudeEventObjectIsOneEvent() {
    assertThat(
            format("amplitude")
                .parse("{\"event_type\":\"Viewed\",\"user_id\":\"user-00001\"}", NOW)
                .get(0)
                .event()
                .userId())
        .isEqualTo("user-00001");
  }

  @Test
  void aSegmentBatchGivesEachCall() {
    List<Parsed> parsed =
        format("segment")
            .parse(
                "{\"batch\":[{\"type\":\"track\",\"event\":\"Viewed\",\"userId\":\"user-00001\"},"
                    + "{\"type\":\"track\",\"event\":\"Bought\",\"userId\":\"user-00001\"}]}",
                NOW);
    assertThat(parsed).extracting(p -> p.event().eventType()).containsExactly("Viewed", "Bought");
  }

  @Test
  void textThatIsNotAJsonObjectIsRefusedAsAWhole() {
    assertThatThrownBy(() -> format("segment").parse("[1]", NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected a JSON object");
    assertThatThrownBy(() -> format("amplitude").parse("{nope", NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not valid JSON: ");
  }
}
