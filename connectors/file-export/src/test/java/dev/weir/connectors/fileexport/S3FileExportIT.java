package dev.weir.connectors.fileexport;

import static org.assertj.core.api.Assertions.assertThat;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.testkit.TestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Exports to an S3 server running in this JVM (Adobe S3Mock), then reads the objects back, Parquet
 * with DuckDB.
 */
class S3FileExportIT {
  @RegisterExtension
  static final S3MockExtension S3 =
      S3MockExtension.builder()
          .silent()
          .withSecureConnection(false)
          .withInitialBuckets("exports")
          .build();

  @TempDir Path tmp;

  @Test
  void chunksLandInTheBucketUnderThePrefixWithPartitionsAndAManifestAndParquetReadsBack()
      throws Exception {
    FileExportDestination d = new FileExportDestination();
    d.start(
        TestContext.of(
            d.spec(),
            Map.of(
                "format",
                "parquet",
                "staging_dir",
                tmp.toString(),
                "s3",
                Map.of(
                    "bucket",
                    "exports",
                    "prefix",
                    "weir/events",
                    "endpoint",
                    S3.getServiceEndpoint(),
                    "path_style",
                    true,
                    "region",
                    "us-east-1",
                    "access_key_id",
                    "test",
                    "secret_access_key",
                    "test"))));
    d.export(new ListBatch("p2-100", FileExportTest.events()));
    d.export(new ListBatch("p2-100", FileExportTest.events())); // idempotent: same keys
    // a user deletion rewrites the object holding the user's row and the manifest
    assertThat(
            d.deleteUser(new dev.weir.sdk.UserDeletion("del-1", "web", "u3", java.util.Set.of())))
        .isEqualTo(1);
    d.stop();

    S3Client s3 = S3.createS3ClientV2();
    List<String> keys =
        s3
            .listObjectsV2(ListObjectsV2Request.builder().bucket("exports").build())
            .contents()
            .stream()
            .map(S3Object::key)
            .sorted()
            .toList();
    assertThat(keys)
        .containsExactly(
            "weir/events/_manifests/p2-100.json",
            "weir/events/dt=2023-11-14/hour=22/p2-100.parquet",
            "weir/events/dt=2023-11-14/hour=23/p2-100.parquet");
    ResponseBytes<GetObjectResponse> manifest =
        s3.getObjectAsBytes(
            GetObjectRequest.builder()
                .bucket("exports")
                .key("weir/events/_manifests/p2-100.json")
                .build());
    JsonNode m = new ObjectMapper().readTree(manifest.asByteArray());
    assertThat(m.get("rows").asLong()).isEqualTo(89);
    assertThat(m.get("files")).hasSize(2);

    long total = 0;
    for (String key : keys.subList(1, 3)) {
      Path local = tmp.resolve(key.replace('/', '_'));
      Files.write(
          local,
          s3.getObjectAsBytes(GetObjectRequest.builder().bucket("exports").key(key).build())
              .asByteArray());
      total +=
          (Long)
              FileExportTest.duck("SELECT count(*) AS n FROM read_parquet('" + local + "')")
                  .get(0)
                  .get("n");
    }
    assertThat(total).isEqualTo(89);
  }
}
