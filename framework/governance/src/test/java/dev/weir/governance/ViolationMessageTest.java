package dev.weir.governance;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Schema;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Violation messages go into events, quarantine records and the violation log, where the samples
 * are masked: the messages themselves must not repeat the offending value (which may be PII).
 */
class ViolationMessageTest {
  @Test
  void violationMessagesNeverEchoTheOffendingValue() throws Exception {
    List<String> keywords =
        List.of(
            "{\"format\": \"email\"}",
            "{\"format\": \"date\"}",
            "{\"format\": \"date-time\"}",
            "{\"format\": \"uuid\"}",
            "{\"format\": \"ipv4\"}",
            "{\"maxLength\": 2}",
            "{\"const\": \"a\"}",
            "{\"enum\": [\"a\", \"b\"]}",
            "{\"pattern\": \"^a$\"}",
            "{\"not\": {\"type\": \"string\"}}",
            "{\"type\": \"integer\"}",
            "{\"oneOf\": [{\"type\": \"string\"}, {\"minLength\": 1}]}");
    for (String keyword : keywords) {
      String schema = "{\"type\": \"object\", \"properties\": {\"e\": " + keyword + "}}";
      Schema s =
          SchemaCompiler.standard()
              .compile(Fixtures.JSON.readTree(schema), SchemaCompiler.DRAFT_2020_12, "$");
      var errors = s.validate(Fixtures.JSON.readTree("{\"e\": \"secret-value\"}"));
      assertThat(errors).as(keyword).isNotEmpty();
      errors.forEach(e -> assertThat(e.getMessage()).as(keyword).doesNotContain("secret"));
    }
    Schema max =
        SchemaCompiler.standard()
            .compile(
                Fixtures.JSON.readTree("{\"properties\": {\"e\": {\"maximum\": 5}}}"),
                SchemaCompiler.DRAFT_2020_12,
                "$");
    assertThat(max.validate(Fixtures.JSON.readTree("{\"e\": 987654}")))
        .singleElement()
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("987654"));
  }
}
