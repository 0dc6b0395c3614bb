package dev.weir.host.config;

import dev.weir.definitions.Definition;
import dev.weir.definitions.DefinitionRegistry;
import java.util.List;
import java.util.Optional;

/**
 * Resolves a destination's {@code definition: <id>@<pin>} against a {@link DefinitionRegistry}. A
 * pin is an exact version ({@code 1.4.2}), {@code 1.x} / {@code latest-compatible:1} (newest
 * release of major 1), or {@code latest} / {@code latest-compatible} (newest installed version).
 * Stateless.
 */
public final class DefinitionRefs {
  private DefinitionRefs() {}

  /** The id part of {@code ref}. */
  public static String id(String ref) {
    int at = ref.indexOf('@');
    return at < 0 ? ref : ref.substring(0, at);
  }

  /**
   * The definition {@code ref} selects, if installed. @throws IllegalArgumentException on a
   * malformed ref
   */
  public static Optional<Definition> resolve(DefinitionRegistry registry, String ref) {
    int at = ref.indexOf('@');
    if (at <= 0 || at == ref.length() - 1) {
      throw new IllegalArgumentException(
          "must be <id>@<version>, such as crm-upsert@1.2.0 or crm-upsert@1.x, not '" + ref + "'");
    }
    String id = ref.substring(0, at);
    String pin = ref.substring(at + 1);
    if (pin.equals("latest") || pin.equals("latest-compatible")) {
      List<String> versions = registry.versions(id);
      return versions.isEmpty()
          ? Optional.empty()
          : registry.resolve(id, versions.get(versions.size() - 1));
    }
    try {
      return registry.resolve(id, pin);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "bad version pin '" + pin + "' in '" + ref + "': " + e.getMessage());
    }
  }
}
