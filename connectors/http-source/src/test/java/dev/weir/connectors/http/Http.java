package dev.weir.connectors.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** A tiny real-HTTP client for the tests: posts bytes, returns status and parsed JSON body. */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final OkHttpClient CLIENT = new OkHttpClient();

  record Answer(int code, JsonNode body, String text) {}

  private Http() {}

  static Answer post(int port, String path, String body, String... headers) throws IOException {
    return post(port, path, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  static Answer post(int port, String path, byte[] body, String... headers) throws IOException {
    Request.Builder b =
        new Request.Builder()
            .url("http://127.0.0.1:" + port + path)
            .post(RequestBody.create(body, MediaType.get("application/json")));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try (Response r = CLIENT.newCall(b.build()).execute()) {
      String text = r.body().string();
      JsonNode json;
      try {
        json = JSON.readTree(text);
      } catch (IOException e) {
        json = null;
      }
      return new Answer(r.code(), json, text);
    }
  }

  static byte[] gzip(byte[] plain) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(plain);
    }
    return out.toByteArray();
  }
}
