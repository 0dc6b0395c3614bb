package dev.weir.realtime;

/** Stable 64-bit hashes for dedup keys and partitioning (identical across JVMs and restarts). */
final class Keys {
  private Keys() {}

  /** The dedup key of an insert id scoped to its source; never 0 (0 marks empty slots). */
  static long dedupKey(String sourceId, String insertId) {
    long h = 0xcbf29ce484222325L;
    h = mixIn(h, sourceId);
    h = (h ^ 0xff) * 0x100000001b3L;
    h = mixIn(h, insertId);
    h = fmix64(h ^ (sourceId.length() * 31L + insertId.length()));
    return h == 0 ? 1 : h;
  }

  static long hash(String s) {
    return fmix64(mixIn(0xcbf29ce484222325L, s));
  }

  static int partitionOf(String identity, int partitions) {
    if (identity == null) {
      return 0;
    }
    return (int) Long.remainderUnsigned(hash(identity), partitions);
  }

  private static long mixIn(long h, String s) {
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * 0x100000001b3L;
    }
    return h;
  }

  private static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
