package dev.weir.testkit;

import dev.weir.runtime.Redactor;
import dev.weir.runtime.SettingsSchema;
import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Settings;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks settings and settings schemas exactly the way the host does — it calls the host's own
 * {@link SettingsSchema} (defaults applied, strings coerced to declared types, nested secrets) —
 * plus the completeness rules of the conformance suite. Stateless and thread-safe.
 */
public final class SettingsCheck {
  private SettingsCheck() {}

  /**
   * Validates {@code values} against the spec's schema, applies defaults, and returns them as
   * {@link Settings}.
   *
   * @throws IllegalArgumentException listing every violation, by path
   */
  public static Settings validate(ConnectorSpec spec, Map<String, ?> values) {
    return SettingsSchema.of(spec).resolve(spec.toString(), values);
  }

  /**
   * Dotted paths of the settings fields marked {@code "secret": true} at any depth ({@code []} for
   * list items); a secret's own children are not listed.
   */
  public static Set<String> secretPaths(ConnectorSpec spec) {
    return new LinkedHashSet<>(SettingsSchema.of(spec).secretPaths());
  }

  /**
   * What makes a schema incomplete: a field without a {@code type} or a {@code description}, or a
   * field whose name says it holds a secret ({@code *key}, {@code *token}, {@code *secret}, {@code
   * *password}) but is not marked {@code "secret": true}. Empty when the schema is complete.
   */
  public static List<String> completenessProblems(ConnectorSpec spec) {
    return SettingsSchema.of(spec).completenessProblems();
  }

  /**
   * Values at the secret paths of {@code values} that the host's redactor hides (nested objects and
   * lists flattened to their strings).
   */
  static Set<String> secretValues(ConnectorSpec spec, Map<String, ?> values) {
    Set<String> out = new LinkedHashSet<>();
    for (String v : SettingsSchema.of(spec).secretValues(values)) {
      if (v.length() >= Redactor.MIN_LENGTH) {
        out.add(v);
      }
    }
    return out;
  }
}
