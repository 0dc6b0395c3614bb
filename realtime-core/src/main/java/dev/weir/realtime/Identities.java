package dev.weir.realtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A dictionary of user identities (user id, else device id) the query engine counts with: each
 * identity gets a dense int, so distinct users are RoaringBitmaps and funnels sort users by
 * counting. Grows with the distinct identities queried; the engine replaces it by a new generation
 * when data leaves the store ({@link QueryEngine#renumberUsers}), so it holds at most the users of
 * the data the store held since then (see {@code docs/store.md}, Memory). Thread-safe.
 */
final class Identities {
  private final ConcurrentHashMap<String, Integer> ids = new ConcurrentHashMap<>();
  private final List<String> names = new ArrayList<>();
  private final long generation;

  Identities(long generation) {
    this.generation = generation;
  }

  /** Which dictionary this is: identity columns are cached per generation. */
  long generation() {
    return generation;
  }

  int id(String identity) {
    Integer id = ids.get(identity);
    return id != null ? id : ids.computeIfAbsent(identity, this::assign);
  }

  private Integer assign(String identity) {
    synchronized (names) {
      names.add(identity);
      return names.size() - 1;
    }
  }

  String name(int id) {
    synchronized (names) {
      return names.get(id);
    }
  }

  int size() {
    synchronized (names) {
      return names.size();
    }
  }

  /** Each row's identity id, -1 without user or device id. */
  int[] of(Col users, Col devices) {
    int n = users.rows;
    int[] out = new int[n];
    int[] userIds = wordIds(users);
    int[] deviceIds = wordIds(devices);
    for (int i = 0; i < n; i++) {
      int u = idAt(users, userIds, i);
      out[i] = u >= 0 ? u : idAt(devices, deviceIds, i);
    }
    return out;
  }

  private int[] wordIds(Col c) {
    if (!(c instanceof Col.Dict d)) {
      return null;
    }
    int[] w = new int[d.words.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = id(d.words[i]);
    }
    return w;
  }

  private int idAt(Col c, int[] wordIds, int row) {
    if (wordIds != null) {
      int w = ((Col.Dict) c).ids[row];
      return w < 0 ? -1 : wordIds[w];
    }
    Object v = c.value(row);
    return v == null ? -1 : id(String.valueOf(v));
  }
}
