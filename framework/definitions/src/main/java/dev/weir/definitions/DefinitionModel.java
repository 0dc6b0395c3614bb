package dev.weir.definitions;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The compiled, validated content of a definition: records only, no behaviour. Immutable. */
final class DefinitionModel {
  private DefinitionModel() {}

  record Meta(
      String id,
      String name,
      String version,
      String partner,
      String category,
      String description,
      String docsUrl,
      String logo) {}

  /** Auth: the kind and its compiled fields (texts keyed by YAML name), plus plain options. */
  record Auth(
      String kind, Map<String, TextTemplate> texts, Map<String, String> options, Template payload) {
    TextTemplate text(String name) {
      return texts.get(name);
    }

    String option(String name, String fallback) {
      return options.getOrDefault(name, fallback);
    }
  }

  record Action(
      String name,
      Set<String> eventTypes,
      Template where,
      String method,
      TextTemplate url,
      Map<String, TextTemplate> headers,
      Map<String, TextTemplate> query,
      Template body,
      String bodyFormat,
      Auth auth,
      int maxEvents) {}

  record Responses(
      Template errors,
      Template index,
      Template id,
      Template eventId,
      Template reason,
      Template retryWhen,
      boolean unlistedDelivered,
      Template status) {}

  record Pagination(
      String kind, String param, String sizeParam, int pageSize, Template next, int maxPages) {}

  record Source(
      long intervalMillis,
      String method,
      TextTemplate url,
      Map<String, TextTemplate> headers,
      Map<String, TextTemplate> query,
      Pagination pagination,
      Template records,
      Template event,
      Template cursor) {}

  record ResponseFixture(int status, Map<String, String> headers, JsonNode body) {}

  record Fixture(
      String name,
      int index,
      Map<String, Object> settings,
      long now,
      List<Map<String, Object>> events,
      List<ResponseFixture> responses,
      JsonNode expectRequests,
      List<String> expectOutcomes,
      JsonNode expectEvents) {}
}
