package dev.weir.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.realtime.RealtimeStore;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTest {
  private static final String KEY = "tls-test-key-01";
  @TempDir Path dir;
  private RealtimeStore store;
  private HttpSource source;

  @BeforeEach
  void openStore() throws Exception {
    store = StoreSourceContext.openStore(dir.resolve("store"));
  }

  @AfterEach
  void stop() throws Exception {
    if (source != null) {
      source.stop();
    }
    store.close();
  }

  @Test
  void aKeystoreAddsHttpsBesidePlainHttpWithTheSameRoutes() throws Exception {
    HeldCertificate cert =
        new HeldCertificate.Builder().addSubjectAlternativeName("localhost").build();
    Path keystore = dir.resolve("server.p12");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry(
        "weir",
        cert.keyPair().getPrivate(),
        "pw-123456".toCharArray(),
        new Certificate[] {cert.certificate()});
    try (OutputStream out = Files.newOutputStream(keystore)) {
      ks.store(out, "pw-123456".toCharArray());
    }
    StoreSourceContext context =
        new StoreSourceContext(
            "web",
            Map.of(
                "host",
                "127.0.0.1",
                "port",
                0,
                "tls_port",
                0,
                "write_keys",
                List.of(KEY),
                "tls",
                Map.of("keystore", keystore.toString(), "keystore_password", "pw-123456")),
            store);
    source = new HttpSource();
    source.start(context);
    assertThat(source.tlsPort()).isPositive().isNotEqualTo(source.port());

    HandshakeCertificates trust =
        new HandshakeCertificates.Builder().addTrustedCertificate(cert.certificate()).build();
    OkHttpClient client =
        new OkHttpClient.Builder()
            .sslSocketFactory(trust.sslSocketFactory(), trust.trustManager())
            .build();
    String body =
        "{\"api_key\":\""
            + KEY
            + "\",\"events\":[{\"event_type\":\"Secure\",\"user_id\":\"user-1\"}]}";
    try (Response r =
        client
            .newCall(
                new Request.Builder()
                    .url("https://localhost:" + source.tlsPort() + "/2/httpapi")
                    .post(RequestBody.create(body, MediaType.get("application/json")))
                    .build())
            .execute()) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(r.handshake()).isNotNull();
    }
    assertThat(Http.post(source.port(), "/2/httpapi", body).code()).isEqualTo(200);
    assertThat(context.stored).hasSize(2);
  }

  @Test
  void aMissingKeystoreFailsStartUpWithoutLeavingTheAddressTaken() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, Object> bad =
        Map.of(
            "host",
            "127.0.0.1",
            "port",
            port,
            "tls_port",
            0,
            "write_keys",
            List.of(KEY),
            "tls",
            Map.of(
                "keystore",
                dir.resolve("nope.p12").toString(),
                "keystore_password",
                "secret-pw-1"));
    HttpSource failing = new HttpSource();
    assertThatThrownBy(() -> failing.start(new StoreSourceContext("web", bad, store)))
        .satisfies(e -> assertThat(String.valueOf(e) + e.getCause()).doesNotContain("secret-pw-1"));

    source = new HttpSource();
    source.start(
        new StoreSourceContext(
            "web", Map.of("host", "127.0.0.1", "port", port, "write_keys", List.of(KEY)), store));
    assertThat(source.port()).isEqualTo(port);
  }
}
