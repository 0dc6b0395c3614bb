package dev.weir.runtime;

import java.util.Collection;

/** "Did you mean" for unknown keys and ids, by Levenshtein distance. Stateless. */
public final class Suggestions {
  private Suggestions() {}

  /** The closest candidate within a distance that still looks like a typo, or null. */
  public static String closest(String input, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d =
          distance(input.toLowerCase(java.util.Locale.ROOT), c.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    int allowed = Math.max(2, input.length() / 3);
    return best != null && bestDistance <= allowed ? best : null;
  }

  /** ", did you mean 'x'?" or empty. */
  public static String hint(String input, Collection<String> candidates) {
    String c = closest(input, candidates);
    return c == null ? "" : ", did you mean '" + c + "'?";
  }

  public static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
