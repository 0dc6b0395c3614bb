package dev.weir.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.amplitude.Amplitude;
import com.amplitude.AmplitudeCallbacks;
import com.segment.analytics.Analytics;
import com.segment.analytics.Callback;
import com.segment.analytics.messages.Message;
import com.segment.analytics.messages.TrackMessage;
import dev.weir.realtime.RealtimeStore;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vendors' own Java SDKs, pointed at Weir by changing only the server URL: Amplitude's over
 * HTTPS (it needs an https URL), Segment's over plain HTTP. Events arrive, and re-sending the same
 * ids stores nothing new.
 */
class OfficialClientsIT {
  private static final String KEY = "official-client-key";
  private static final char[] PASSWORD = "keystore-pass".toCharArray();
  @TempDir Path dir;
  private RealtimeStore store;
  private StoreSourceContext context;
  private HttpSource source;
  private HeldCertificate certificate;

  @BeforeEach
  void start() throws Exception {
    certificate =
        new HeldCertificate.Builder()
            .addSubjectAlternativeName("localhost")
            .commonName("localhost")
            .rsa2048()
            .build();
    Path keystore = dir.resolve("weir.p12");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry(
        "weir",
        certificate.keyPair().getPrivate(),
        PASSWORD,
        new Certificate[] {certificate.certificate()});
    try (OutputStream out = Files.newOutputStream(keystore)) {
      ks.store(out, PASSWORD);
    }
    store = StoreSourceContext.openStore(dir.resolve("store"));
    context =
        new StoreSourceContext(
            "apps",
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
                Map.of("keystore", keystore.toString(), "keystore_password", new String(PASSWORD))),
            store);
    source = new HttpSource();
    source.start(context);
  }

  @AfterEach
  void stop() throws Exception {
    source.stop();
    store.close();
  }

  @Test
  void amplitudeJavaSdkOverHttpsDeliversAndResendingTheSameInsertIdsStoresNothingNew()
      throws Exception {
    runAmplitude("weir-official-client-it", "/2/httpapi", false);
  }

  @Test
  void amplitudeJavaSdkInBatchModeDeliversToTheBatchApi() throws Exception {
    runAmplitude("weir-official-client-batch-it", "/batch", true);
  }

  private void runAmplitude(String instance, String path, boolean batchMode) throws Exception {
    SSLSocketFactory oldFactory = HttpsURLConnection.getDefaultSSLSocketFactory();
    HostnameVerifier oldVerifier = HttpsURLConnection.getDefaultHostnameVerifier();
    HandshakeCertificates trust =
        new HandshakeCertificates.Builder()
            .addTrustedCertificate(certificate.certificate())
            .build();
    HttpsURLConnection.setDefaultSSLSocketFactory(trust.sslSocketFactory());
    HttpsURLConnection.setDefaultHostnameVerifier((host, session) -> "localhost".equals(host));
    Amplitude amplitude = Amplitude.getInstance(instance);
    try {
      amplitude.init(KEY);
      amplitude.useBatchMode(batchMode);
      amplitude.setServerUrl("https://localhost:" + source.tlsPort() + path);
      ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
      CountDownLatch first = new CountDownLatch(3);
      CountDownLatch second = new CountDownLatch(6);
      amplitude.setCallbacks(
          new AmplitudeCallbacks() {
            @Override
            public void onLogEventServerResponse(
                com.amplitude.Event event, int status, String message) {
              statuses.add(status);
              first.countDown();
              second.countDown();
            }
          });
      sendAmplitude(amplitude);
      assertThat(first.await(60, TimeUnit.SECONDS)).isTrue();
      assertThat(context.stored)
          .extracting(e -> e.insertId())
          .containsExactlyInAnyOrder("amp-0", "amp-1", "amp-2");
      assertThat(context.stored).allSatisfy(e -> assertThat(e.userId()).isEqualTo("user-12345"));

      sendAmplitude(amplitude);
      assertThat(second.await(60, TimeUnit.SECONDS)).isTrue();
      assertThat(statuses).containsOnly(200);
      assertThat(context.stored).hasSize(3);
      assertThat(context.duplicates.get()).isEqualTo(3);
    } finally {
      amplitude.shutdown();
      HttpsURLConnection.setDefaultSSLSocketFactory(oldFactory);
      HttpsURLConnection.setDefaultHostnameVerifier(oldVerifier);
    }
  }

  private static void sendAmplitude(Amplitude amplitude) {
    for (int i = 0; i < 3; i++) {
      com.amplitude.Event e = new com.amplitude.Event("Signed Up", "user-12345");
      e.insertId = "amp-" + i;
      amplitude.logEvent(e);
    }
    amplitude.flushEvents();
  }

  @Test
  void segmentAnalyticsJavaDeliversAndResendingTheSameMessageIdsStoresNothingNew()
      throws Exception {
    CountDownLatch first = new CountDownLatch(3);
    CountDownLatch second = new CountDownLatch(6);
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    Analytics analytics =
        Analytics.builder(KEY)
            .endpoint("http://127.0.0.1:" + source.port())
            .callback(
                new Callback() {
                  @Override
                  public void success(Message message) {
                    first.countDown();
                    second.countDown();
                  }

                  @Override
                  public void failure(Message message, Throwable throwable) {
                    failures.add(throwable);
                    first.countDown();
                    second.countDown();
                  }
                })
            .build();
    try {
      sendSegment(analytics);
      assertThat(first.await(60, TimeUnit.SECONDS)).isTrue();
      assertThat(context.stored)
          .extracting(e -> e.insertId())
          .containsExactlyInAnyOrder("seg-0", "seg-1", "seg-2");
      assertThat(context.stored)
          .allSatisfy(e -> assertThat(e.eventType()).isEqualTo("Item Purchased"));

      sendSegment(analytics);
      assertThat(second.await(60, TimeUnit.SECONDS)).isTrue();
      assertThat(failures).isEmpty();
      assertThat(context.stored).hasSize(3);
      assertThat(context.duplicates.get()).isEqualTo(3);
    } finally {
      analytics.shutdown();
    }
  }

  private static void sendSegment(Analytics analytics) {
    for (int i = 0; i < 3; i++) {
      analytics.enqueue(
          TrackMessage.builder("Item Purchased")
              .userId("user-1")
              .messageId("seg-" + i)
              .properties(Map.of("revenue", 9.99)));
    }
    analytics.flush();
  }
}
