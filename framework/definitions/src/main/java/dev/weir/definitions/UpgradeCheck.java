package dev.weir.definitions;

import java.util.ArrayList;
import java.util.List;

/**
 * Compares two versions of one definition and lists what would break a configured destination: a
 * changed id, a new required setting, a removed setting or action, a changed auth kind or delivery
 * mode, and a version that does not increase the major for any of these. Stateless.
 */
final class UpgradeCheck {
  private UpgradeCheck() {}

  static List<String> breakingChanges(Definition older, Definition newer) {
    List<String> out = new ArrayList<>();
    if (!older.id().equals(newer.id())) {
      out.add(
          "id changed from '"
              + older.id()
              + "' to '"
              + newer.id()
              + "': this is a different connector");
    }
    for (String r : newer.requiredSettings) {
      if (!older.requiredSettings.contains(r)) {
        out.add("new required setting '" + r + "': existing destinations do not set it");
      }
    }
    List<String> oldSettings = names(older);
    List<String> newSettings = names(newer);
    for (String s : oldSettings) {
      if (!newSettings.contains(s)) {
        out.add("setting '" + s + "' was removed: destinations that set it would be rejected");
      }
    }
    for (String a : older.actionNames()) {
      if (!newer.actionNames().contains(a)) {
        out.add("action '" + a + "' was removed: events it sent would no longer be delivered");
      }
    }
    if (!older.authKind().equals(newer.authKind())) {
      out.add(
          "auth kind changed from "
              + older.authKind()
              + " to "
              + newer.authKind()
              + ": existing credentials no longer apply");
    }
    if (!older.delivery().mode().equals(newer.delivery().mode())) {
      out.add(
          "delivery mode changed from "
              + older.delivery().mode()
              + " to "
              + newer.delivery().mode());
    }
    if (!out.isEmpty()
        && SemVer.parse(newer.version()).major() <= SemVer.parse(older.version()).major()) {
      out.add(
          "these changes are breaking, but the version goes from "
              + older.version()
              + " to "
              + newer.version()
              + " without a new major version");
    }
    return out;
  }

  private static List<String> names(Definition d) {
    List<String> out = new ArrayList<>();
    d.settingsSchema.path("properties").fieldNames().forEachRemaining(out::add);
    return out;
  }
}
