package dev.weir.host;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Helpers shared by the host's integration tests. */
public final class TestSupport {
  private TestSupport() {}

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  /** POSTs a JSON body with a bearer key; returns status and body. */
  public static String[] post(OkHttpClient client, String url, String key, String json)
      throws IOException {
    Request req =
        new Request.Builder()
            .url(url)
            .header("Authorization", "Bearer " + key)
            .post(RequestBody.create(json, MediaType.get("application/json")))
            .build();
    try (Response r = client.newCall(req).execute()) {
      return new String[] {String.valueOf(r.code()), r.body().string()};
    }
  }

  /** Every line of every NDJSON file (open or complete) in {@code dir}, files in name order. */
  public static List<String> ndjsonLines(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p :
          files.filter(f -> f.getFileName().toString().contains(".ndjson")).sorted().toList()) {
        out.addAll(Files.readAllLines(p, StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  public static List<Path> files(Path dir, String suffix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }
}
