package dev.weir.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserDeletionLogTest {
  @TempDir Path dir;

  @Test
  void theAuditRecordHoldsAKeyedDigestOfTheUserIdThatAGuessCannotCheckWithoutTheStoresKey()
      throws Exception {
    Path deletions = dir.resolve("store/deletions");
    UserDeletionLog log = new UserDeletionLog(deletions, Clock.systemUTC());
    String id = log.start("web", "user-42");

    String record = Files.readString(deletions.resolve(id + ".json"));
    assertThat(record)
        .doesNotContain("user-42")
        .doesNotContain(sha256("user-42"))
        .doesNotContain("user_sha256");
    byte[] key = Files.readAllBytes(deletions.resolve(UserDeletionLog.KEY_FILE));
    assertThat(key).hasSize(32);
    assertThat(log.get(id).orElseThrow().get("user_hmac_sha256"))
        .isEqualTo(hmac(key, "user-42"))
        .isEqualTo(log.userDigest("user-42"));

    // the key is the store's: kept across a restart, another store's differs
    UserDeletionLog reopened = new UserDeletionLog(deletions, Clock.systemUTC());
    assertThat(reopened.userDigest("user-42")).isEqualTo(hmac(key, "user-42"));
    UserDeletionLog other = new UserDeletionLog(dir.resolve("other/deletions"), Clock.systemUTC());
    assertThat(other.userDigest("user-42")).isNotEqualTo(hmac(key, "user-42"));
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static String hmac(byte[] key, String text) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }
}
