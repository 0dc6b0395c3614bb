package dev.weir.definitions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.definitions.cli.ConnectorCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * docs/catalog.md is generated from the shipped definitions and the Java destinations' settings
 * schemas; this test fails while it is stale ({@code -Dweir.catalog.write=true} rewrites it), and
 * holds every shipped definition to the catalog's bar: real, covered, fixtures, complete settings.
 */
class CatalogDocTest {
  static final Path ROOT = Path.of("../..");
  static final Path DOC = ROOT.resolve("docs/catalog.md");

  /**
   * Java destinations in the catalog: id, name, category, batching (their schemas say the rest).
   */
  static final List<String[]> JAVA_DESTINATIONS =
      List.of(
          new String[] {
            "duckdb-warehouse",
            "DuckDB warehouse",
            "data",
            "sealed chunks, one transaction per chunk, exactly once",
            "Loads sealed chunks into a table of a DuckDB database file, exactly once per chunk."
          },
          new String[] {
            "postgres-warehouse",
            "PostgreSQL warehouse",
            "data",
            "sealed chunks, COPY in one transaction per chunk, exactly once",
            "Loads sealed chunks into PostgreSQL tables with COPY, exactly once per chunk."
          },
          new String[] {
            "file-export",
            "File and S3 export",
            "data",
            "sealed chunks, one file per chunk",
            "Writes each sealed chunk as one gzipped NDJSON, CSV or Parquet file to a local directory or an S3 bucket."
          },
          new String[] {
            "file",
            "File destination",
            "data",
            "stream, appended and fsynced",
            "Appends delivered events as NDJSON to local files."
          },
          new String[] {
            "webhook",
            "Generic webhook",
            "webhook",
            "batch POST of {\"events\": [...]}",
            "POSTs batches of events to any HTTP endpoint."
          },
          new String[] {
            "kafka",
            "Kafka topic",
            "data",
            "stream to a Kafka producer",
            "Produces delivered events to a Kafka topic."
          });

  static List<Definition> shipped() throws Exception {
    List<Definition> out = new ArrayList<>();
    for (Path f : ExamplesTest.examples()) {
      Definition d = Definitions.parse(f);
      if (d.kind().equals("Destination") && !d.id().endsWith("-style")) {
        out.add(d);
      }
    }
    return out;
  }

  static List<Catalog.Entry> entries() throws Exception {
    List<Catalog.Entry> out = new ArrayList<>();
    for (Definition d : shipped()) {
      out.add(Catalog.of(d));
    }
    for (String[] j : JAVA_DESTINATIONS) {
      Path schema =
          ROOT.resolve(
              "connectors/" + j[0] + "/src/main/resources/weir-" + j[0] + "-settings.schema.json");
      out.add(Catalog.ofConnector(j[0], j[1], "0.1.0", j[2], j[4], j[3], Files.readString(schema)));
    }
    return out;
  }

  @Test
  void docsCatalogIsGeneratedFromTheDefinitionsAndIsNotStale() throws Exception {
    String generated = Catalog.markdown(entries());
    if (Boolean.getBoolean("weir.catalog.write")) {
      Files.writeString(DOC, generated);
    }
    assertThat(Files.exists(DOC)).as("docs/catalog.md exists").isTrue();
    assertThat(Files.readString(DOC))
        .as(
            "docs/catalog.md is stale: regenerate with mvn -pl framework/definitions test"
                + " -Dtest=CatalogDocTest -Dweir.catalog.write=true")
        .isEqualTo(generated);
  }

  @Test
  void atLeastTwentyFiveRealDestinationsCoverEveryCategoryTheIssueNames() throws Exception {
    List<Catalog.Entry> all = entries();
    Set<String> ids = new TreeSet<>();
    all.forEach(e -> ids.add(e.id()));
    assertThat(ids)
        .contains(
            // ads and conversions
            "meta-conversions-api",
            "google-ads-conversions",
            "tiktok-events-api",
            "snapchat-conversions-api",
            "pinterest-conversions-api",
            "linkedin-conversions-api",
            "reddit-conversions-api",
            // product analytics
            "amplitude-http-v2",
            "mixpanel-import",
            "ga4-measurement-protocol",
            "posthog-capture",
            "segment-http-tracking",
            "heap-server-side",
            // CRM and engagement
            "hubspot-contacts",
            "braze-users-track",
            "iterable-events",
            "customerio-track",
            "klaviyo-events",
            "intercom-events",
            "mailchimp-audience",
            // messaging and ops
            "slack-incoming-webhook",
            "discord-webhook",
            "microsoft-teams-workflow",
            "pagerduty-events-v2",
            // storage
            "duckdb-warehouse",
            "postgres-warehouse",
            "file-export");
    assertThat(shipped()).hasSizeGreaterThanOrEqualTo(24);
    assertThat(all).hasSizeGreaterThanOrEqualTo(25);
  }

  @Test
  void everyShippedDefinitionHasAtLeastFourFixturesAndNamesItsReferenceAndVersion()
      throws Exception {
    for (Definition d : shipped()) {
      assertThat(d.fixtures).as(d.id() + " fixtures").hasSizeGreaterThanOrEqualTo(4);
      String text = Files.readString(Path.of(d.file()));
      String header = text.substring(0, text.indexOf("apiVersion:"));
      assertThat(header).as(d.id() + " header names its reference").contains("Reference: http");
      assertThat(d.meta.docsUrl()).as(d.id() + " docs_url").startsWith("https://");
      // every fixture that records a response pins what happens to each event
      for (DefinitionModel.Fixture f : d.fixtures) {
        if (!f.responses().isEmpty()) {
          assertThat(f.expectOutcomes()).as(d.id() + " / " + f.name() + " outcomes").isNotEmpty();
        }
      }
    }
  }

  @Test
  void everySettingOfAShippedDestinationHasADescriptionAnExampleAndAFormat() throws Exception {
    List<String> problems = new ArrayList<>();
    for (Catalog.Entry e : entries()) {
      if (e.origin().equals("definition") || e.id().equals("duckdb-warehouse")) {
        problems.addAll(Catalog.incompleteSettings(e));
      }
    }
    assertThat(problems).isEmpty();
  }

  @TestFactory
  Stream<DynamicTest> everyShippedDefinitionPassesWeirConnectorTest() throws Exception {
    return shipped().stream()
        .map(
            d ->
                DynamicTest.dynamicTest(
                    d.id(),
                    () -> {
                      StringWriter out = new StringWriter();
                      StringWriter err = new StringWriter();
                      CommandLine cli = new CommandLine(new ConnectorCommand());
                      cli.setOut(new PrintWriter(out));
                      cli.setErr(new PrintWriter(err));
                      int code = cli.execute("test", d.file());
                      assertThat(code).as(out + "\n" + err).isZero();
                      assertThat(out.toString()).contains("all fixtures passed");
                    }));
  }

  @Test
  void weirConnectorListPrintsTheCatalogColumnsForEveryShippedDefinition() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new ConnectorCommand());
    cli.setOut(new PrintWriter(out));
    int code = cli.execute("list", ExamplesTest.EXAMPLES.toString());
    assertThat(code).isZero();
    String[] lines = out.toString().split("\n");
    assertThat(lines[0])
        .startsWith("ID")
        .contains("CATEGORY", "AUTH", "BATCHING", "DELETION", "SETTINGS");
    assertThat(lines).hasSize(shipped().size() + 1);
    assertThat(out.toString())
        .contains("meta-conversions-api")
        .contains("api_key (query access_token)")
        .contains("delete_user: POST /api/2/deletions/users")
        .contains("access_token* (secret)")
        .doesNotContain("crm-upsert-style");
    StringWriter md = new StringWriter();
    cli.setOut(new PrintWriter(md));
    assertThat(cli.execute("list", "--markdown", ExamplesTest.EXAMPLES.toString())).isZero();
    List<Catalog.Entry> defsOnly = new ArrayList<>();
    for (Definition d : shipped()) {
      defsOnly.add(Catalog.of(d));
    }
    assertThat(md.toString()).isEqualTo(Catalog.markdown(defsOnly));
  }
}
