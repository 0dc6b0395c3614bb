package dev.weir.connectors.fileexport;

import dev.weir.sdk.Settings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/** An S3 (or S3-compatible) bucket; a PUT replaces the object atomically. Thread-safe. */
final class S3Storage implements Storage {
  private final S3Client client;
  private final String bucket;
  private final String prefix;

  S3Storage(Settings s) {
    this.bucket = s.requireString("bucket");
    String p = s.string("prefix", "");
    this.prefix = p.isEmpty() || p.endsWith("/") ? p : p + "/";
    var b =
        S3Client.builder()
            .region(Region.of(s.string("region", "us-east-1")))
            .forcePathStyle(s.bool("path_style", false));
    s.string("endpoint").ifPresent(e -> b.endpointOverride(URI.create(e)));
    if (s.has("access_key_id")) {
      b.credentialsProvider(
          StaticCredentialsProvider.create(
              AwsBasicCredentials.create(
                  s.requireString("access_key_id"), s.requireString("secret_access_key"))));
    } else {
      b.credentialsProvider(DefaultCredentialsProvider.builder().build());
    }
    this.client = b.build();
  }

  @Override
  public void put(String key, Path file) throws IOException {
    try {
      client.putObject(
          PutObjectRequest.builder().bucket(bucket).key(prefix + key).build(),
          RequestBody.fromFile(file));
    } catch (SdkException e) {
      throw new IOException(
          "upload of s3://" + bucket + "/" + prefix + key + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public java.util.List<String> list(String keyPrefix) throws IOException {
    try {
      java.util.List<String> out = new java.util.ArrayList<>();
      for (var o :
          client
              .listObjectsV2Paginator(
                  software.amazon.awssdk.services.s3.model.ListObjectsV2Request.builder()
                      .bucket(bucket)
                      .prefix(prefix + keyPrefix)
                      .build())
              .contents()) {
        out.add(o.key().substring(prefix.length()));
      }
      java.util.Collections.sort(out);
      return out;
    } catch (SdkException e) {
      throw new IOException(
          "listing s3://" + bucket + "/" + prefix + keyPrefix + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void get(String key, Path to) throws IOException {
    try {
      java.nio.file.Files.deleteIfExists(to);
      client.getObject(
          software.amazon.awssdk.services.s3.model.GetObjectRequest.builder()
              .bucket(bucket)
              .key(prefix + key)
              .build(),
          to);
    } catch (SdkException e) {
      throw new IOException(
          "download of s3://" + bucket + "/" + prefix + key + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public String location(String key) {
    return "s3://" + bucket + "/" + prefix + key;
  }

  @Override
  public void close() {
    client.close();
  }
}
