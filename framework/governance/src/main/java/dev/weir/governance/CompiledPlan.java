package dev.weir.governance;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;

/**
 * One version of one tracking plan, with every schema compiled. Immutable and thread-safe.
 *
 * @param id the plan id
 * @param version the plan version
 * @param file where it was loaded from
 * @param events planned events by name
 * @param commonEventProperties applies to every event's {@code event_properties}; null when absent
 * @param userProperties validates {@code $identify} calls and events' {@code user_properties}; null
 *     when absent
 * @param groupProperties validates {@code $groupidentify} calls' {@code group_properties}; null
 *     when absent
 * @param raw the plan file as parsed, for diffs
 */
record CompiledPlan(
    String id,
    int version,
    Path file,
    Map<String, EventSpec> events,
    PropertySchema commonEventProperties,
    PropertySchema userProperties,
    PropertySchema groupProperties,
    JsonNode raw) {

  /**
   * One planned event.
   *
   * @param eventProperties null when the plan lists no properties: then every property is unplanned
   * @param userProperties null to fall back to the plan's user properties
   */
  record EventSpec(String name, PropertySchema eventProperties, PropertySchema userProperties) {}
}
