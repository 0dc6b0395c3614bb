package dev.weir.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A compact object is read as a map without being decoded into one. */
class CompactMapTest {
  private static CompactMap props() {
    return (CompactMap)
        new JsonObjectWriter()
            .beginObject()
            .key("plan")
            .value("pro")
            .key("n")
            .value(3L)
            .key("tags")
            .beginArray()
            .value("a")
            .endArray()
            .key("nested")
            .beginObject()
            .key("x")
            .nullValue()
            .endObject()
            .endObject()
            .take();
  }

  @Test
  void iteratingTheEntriesReadsThemFromTheBytesInOrderWithoutDecodingTheMap() {
    CompactMap m = props();
    List<String> keys = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    for (Map.Entry<String, Object> e : m.entrySet()) {
      keys.add(e.getKey());
      values.add(e.getValue());
    }

    assertThat(keys).containsExactly("plan", "n", "tags", "nested");
    assertThat(values.subList(0, 3)).containsExactly("pro", 3L, List.of("a"));
    assertThat(values.get(3)).isEqualTo(java.util.Collections.singletonMap("x", null));
    assertThat(m.keySet()).containsExactly("plan", "n", "tags", "nested");
    assertThat(m.size()).isEqualTo(4);
    assertThat(m.isDecoded()).isFalse();
  }

  @Test
  void theEntriesCannotBeChanged() {
    CompactMap m = props();
    Map.Entry<String, Object> first = m.entrySet().iterator().next();
    assertThatThrownBy(() -> first.setValue("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> m.entrySet().iterator().remove())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
