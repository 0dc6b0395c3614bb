package dev.weir.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The junk-id check without lowering the case answers exactly as {@code
 * JUNK_IDS.contains(id.trim().toLowerCase(Locale.ROOT))}, including for letters whose case rules
 * are not ASCII's.
 */
class JunkIdTest {
  private static boolean lowered(String id) {
    return AmplitudeFormat.JUNK_IDS.contains(id.trim().toLowerCase(Locale.ROOT));
  }

  @Test
  void everyJunkIdInAnyCaseAndPaddingIsJunkAndTheCheckAgreesWithLoweringOnHostileVariants() {
    List<String> ids = new ArrayList<>();
    for (String junk : AmplitudeFormat.JUNK_IDS) {
      ids.add(junk);
      ids.add(junk.toUpperCase(Locale.ROOT));
      ids.add(" \t" + junk + "\n ");
      ids.add(junk + "x");
      ids.add("\u0000" + junk);
      // Kelvin sign, dotted capital I, long s and a fullwidth letter: case rules beyond ASCII.
      ids.add(junk.replace('k', '\u212A'));
      ids.add(junk.replace('i', '\u0130'));
      ids.add(junk.replace('s', '\u017F'));
      ids.add(junk.replace('n', '\uFF4E'));
      ids.add(junk.replace('0', '\u0660'));
    }
    ids.add("user-t1-r1-1");
    ids.add("a".repeat(36));
    ids.add(" ".repeat(40) + "null" + " ".repeat(40));
    ids.add("\u0130".repeat(40));
    Random random = new Random(13);
    String alphabet = "nulNULdefiDEFIk0-{} \t\u212A\u0130\u017F\u00e9";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder();
      for (int n = random.nextInt(10); n > 0; n--) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      ids.add(sb.toString());
    }

    for (String id : ids) {
      assertThat(AmplitudeFormat.isJunk(id)).as("'%s'", id).isEqualTo(lowered(id));
    }
    assertThat(AmplitudeFormat.isJunk(" UnKnOwN ")).isTrue();
    assertThat(AmplitudeFormat.isJunk("un\u212Anown")).isTrue();
    assertThat(AmplitudeFormat.isJunk("n\u0130l")).isFalse();
  }
}
