package dev.weir.connectors.fileexport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.sdk.BatchDestination;
import dev.weir.testkit.BatchDestinationConformance;
import dev.weir.testkit.ConnectorHarness;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The file-export destination runs the test kit's batch conformance suite on a local directory:
 * what it "loaded" is every row of every file a manifest lists (what downstream loaders read). The
 * secret check is skipped by the suite: a local directory takes no secret (the S3 credentials are
 * covered by {@code S3FileExportIT}).
 */
class FileExportConformanceTest extends BatchDestinationConformance {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  protected BatchDestination newDestination() {
    return new FileExportDestination();
  }

  @Override
  protected Map<String, Object> settings(ConnectorHarness harness) {
    return Map.of(
        "format",
        "ndjson_gz",
        "directory",
        dir(harness, "export").toString(),
        "staging_dir",
        dir(harness, "staging").toString());
  }

  @Override
  protected List<String> loadedInsertIds(ConnectorHarness harness) throws Exception {
    Path root = dir(harness, "export");
    List<String> ids = new ArrayList<>();
    Path manifests = root.resolve("_manifests");
    if (!Files.isDirectory(manifests)) {
      return ids;
    }
    try (Stream<Path> list = Files.list(manifests)) {
      for (Path m : list.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        for (JsonNode f : JSON.readTree(m.toFile()).get("files")) {
          try (BufferedReader r =
              new BufferedReader(
                  new InputStreamReader(
                      new GZIPInputStream(
                          Files.newInputStream(root.resolve(f.get("path").asText()))),
                      StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
              ids.add(JSON.readTree(line).get("insert_id").asText());
            }
          }
        }
      }
    }
    return ids;
  }

  /** The export directory becomes a plain file: no file can be written under it. */
  @Override
  protected boolean breakBackend(ConnectorHarness harness) throws Exception {
    Path root = dir(harness, "export");
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    Files.writeString(root, "not a directory");
    return true;
  }
}
