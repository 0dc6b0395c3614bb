package dev.weir.definitions;

/**
 * A parsed {@code major.minor.patch[-pre]} version, ordered by precedence (pre-releases before
 * releases).
 */
record SemVer(int major, int minor, int patch, String pre) implements Comparable<SemVer> {
  static SemVer parse(String v) {
    String core = v;
    String pre = "";
    int dash = v.indexOf('-');
    int plus = v.indexOf('+');
    if (plus >= 0) {
      core = v.substring(0, plus);
    }
    if (dash >= 0 && (plus < 0 || dash < plus)) {
      pre = core.substring(dash + 1);
      core = core.substring(0, dash);
    }
    String[] p = core.split("\\.");
    if (p.length != 3) {
      throw new IllegalArgumentException("'" + v + "' is not a semantic version (1.2.3)");
    }
    return new SemVer(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), pre);
  }

  @Override
  public int compareTo(SemVer o) {
    int c = Integer.compare(major, o.major);
    if (c == 0) {
      c = Integer.compare(minor, o.minor);
    }
    if (c == 0) {
      c = Integer.compare(patch, o.patch);
    }
    if (c == 0) {
      c = pre.isEmpty() ? (o.pre.isEmpty() ? 0 : 1) : (o.pre.isEmpty() ? -1 : pre.compareTo(o.pre));
    }
    return c;
  }
}
