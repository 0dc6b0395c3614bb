package dev.weir.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTlsTest {
  @TempDir Path dir;

  @Test
  void servesTheApiOverHttpsFromAKeystoreAndStillRequiresATokenThere() throws Exception {
    Path ks = dir.resolve("admin.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "admin",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                ks.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue())
        .as(new String(keytool.getInputStream().readAllBytes()))
        .isZero();

    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ks)) {
      trust.load(in, "changeit".toCharArray());
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    OkHttpClient client =
        new OkHttpClient.Builder()
            .sslSocketFactory(ssl.getSocketFactory(), (X509TrustManager) tmf.getTrustManagers()[0])
            .build();

    try (LiveStack stack = new LiveStack(dir);
        AdminServer server =
            AdminServer.start(
                stack,
                AdminOptions.builder()
                    .host("127.0.0.1")
                    .port(0)
                    .keystore(ks, "changeit")
                    .tokens(List.of("tls-token"))
                    .build())) {
      String base = "https://127.0.0.1:" + server.port();
      try (Response r =
          client.newCall(new Request.Builder().url(base + "/api/v1/store").build()).execute()) {
        assertThat(r.code()).isEqualTo(401);
      }
      try (Response r =
          client
              .newCall(
                  new Request.Builder()
                      .url(base + "/api/v1/store")
                      .header("Authorization", "Bearer tls-token")
                      .build())
              .execute()) {
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.body().string()).contains("\"partitions\":2");
      }
    }
  }
}
