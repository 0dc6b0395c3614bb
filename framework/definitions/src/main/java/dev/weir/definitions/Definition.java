package dev.weir.definitions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One validated partner definition: metadata, settings schema, auth, actions, delivery, responses
 * and fixtures, all compiled. Obtain with {@link Definitions#parse}; turn into a running connector
 * with {@link Definitions#destination} or {@link Definitions#source}. Immutable and thread-safe.
 */
public final class Definition {
  private final String file;
  private final String kind;
  final DefinitionModel.Meta meta;
  final JsonNode settingsSchema;
  final Set<String> secretSettings;
  final Set<String> requiredSettings;
  final DefinitionModel.Auth auth;
  final List<DefinitionModel.Action> actions;
  final DeliverySettings delivery;
  final DefinitionModel.Responses responses;
  final DefinitionModel.Source source;
  final List<DefinitionModel.Fixture> fixtures;
  private final Template batchKey;

  Definition(
      String file,
      String kind,
      DefinitionModel.Meta meta,
      JsonNode settingsSchema,
      Set<String> secretSettings,
      Set<String> requiredSettings,
      DefinitionModel.Auth auth,
      List<DefinitionModel.Action> actions,
      DeliverySettings delivery,
      DefinitionModel.Responses responses,
      DefinitionModel.Source source,
      List<DefinitionModel.Fixture> fixtures,
      Template batchKey,
      Set<String> unusedSettings) {
    this.file = file;
    this.kind = kind;
    this.meta = meta;
    this.settingsSchema = settingsSchema;
    this.secretSettings = Set.copyOf(secretSettings);
    this.requiredSettings = Set.copyOf(requiredSettings);
    this.auth = auth;
    this.actions = List.copyOf(actions);
    this.delivery = delivery;
    this.responses = responses;
    this.source = source;
    this.fixtures = List.copyOf(fixtures);
    this.batchKey = batchKey;
    this.unusedSettings = Set.copyOf(unusedSettings);
  }

  private final Set<String> unusedSettings;

  /**
   * Declared settings that no url, header, query, body, trigger or auth refers to ({@code
   * settings.x}, {@code $settings.x}, {@code $$.settings.x}): a value a customer fills in would do
   * nothing. The catalog's examples have none (ExamplesTest).
   */
  public Set<String> unusedSettings() {
    return unusedSettings;
  }

  /** The file this definition was read from, as named to the parser. */
  public String file() {
    return file;
  }

  /** {@code Destination} or {@code Source}. */
  public String kind() {
    return kind;
  }

  public String id() {
    return meta.id();
  }

  public String name() {
    return meta.name();
  }

  /** Semantic version, such as {@code 1.4.0}. */
  public String version() {
    return meta.version();
  }

  public String partner() {
    return meta.partner();
  }

  public String category() {
    return meta.category();
  }

  /** The settings JSON Schema as JSON text (secret fields carry {@code "secret": true}). */
  public String settingsSchema() {
    return settingsSchema.toString();
  }

  /** Names of settings marked secret: never logged, masked in dry runs. */
  public Set<String> secretSettings() {
    return secretSettings;
  }

  public Set<String> requiredSettings() {
    return requiredSettings;
  }

  /**
   * {@code none}, {@code api_key}, {@code basic}, {@code bearer}, {@code hmac} or {@code oauth2}.
   */
  public String authKind() {
    return auth.kind();
  }

  /** The action names, in file order (empty for a source). */
  public List<String> actionNames() {
    return actions.stream().map(DefinitionModel.Action::name).toList();
  }

  /**
   * The declared delivery settings, for the host to translate into the delivery engine's config.
   */
  public DeliverySettings delivery() {
    return delivery;
  }

  /**
   * The batch key of an event per {@code delivery.batch.key} (JSONata over the event, like a
   * trigger's {@code where}); the empty string when none is declared or it yields nothing.
   */
  public Function<Event, String> batchKeyFunction() {
    if (batchKey == null) {
      return e -> "";
    }
    return e -> {
      Object v = batchKey.evaluate(e.toMap());
      return v == null ? "" : v.toString();
    };
  }

  /**
   * {@code settings} with the schema's {@code default}s filled in for absent keys (the host does
   * this too).
   */
  java.util.Map<String, Object> withDefaults(java.util.Map<String, ?> settings) {
    java.util.Map<String, Object> out = new java.util.LinkedHashMap<>(settings);
    settingsSchema
        .path("properties")
        .fields()
        .forEachRemaining(
            e -> {
              com.fasterxml.jackson.databind.JsonNode dflt = e.getValue().get("default");
              if (dflt != null && !dflt.isNull() && out.get(e.getKey()) == null) {
                out.put(e.getKey(), RequestPlanner.JSON.convertValue(dflt, Object.class));
              }
            });
    return java.util.Collections.unmodifiableMap(out);
  }

  /** A connector spec naming this definition's id, version and settings schema. */
  public ConnectorSpec spec() {
    return ConnectorSpec.builder(meta.id())
        .version(meta.version())
        .displayName(meta.name())
        .description(meta.description() == null ? "" : meta.description())
        .settingsSchema(settingsSchema())
        .build();
  }

  @Override
  public String toString() {
    return meta.id() + "@" + meta.version();
  }
}
