package dev.weir.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a connector declares about itself: its id (the {@code type} a workspace names), version,
 * display name, and the JSON Schema of its settings. Settings fields holding secrets are marked
 * {@code "secret": true} in the schema; the host never logs or returns their values.
 *
 * <p>Immutable; build with {@link #builder(String)}.
 */
public final class ConnectorSpec {
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*");
  private static final Pattern SEMVER =
      Pattern.compile("\\d+\\.\\d+\\.\\d+(?:[-+][0-9A-Za-z.-]+)?");
  private static final String EMPTY_SCHEMA =
      """
      {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", \
      "additionalProperties": false, "properties": {}}""";

  private final String id;
  private final String version;
  private final String displayName;
  private final String description;
  private final String settingsSchema;

  private ConnectorSpec(Builder b) {
    this.id = b.id;
    this.version = b.version;
    this.displayName = b.displayName == null ? b.id : b.displayName;
    this.description = b.description == null ? "" : b.description;
    this.settingsSchema = b.settingsSchema == null ? EMPTY_SCHEMA : b.settingsSchema;
  }

  /**
   * A builder for the connector with this id: lower-case words joined by dashes, such as {@code
   * webhook}.
   */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  public String id() {
    return id;
  }

  /** The connector's semantic version, such as {@code 1.2.0}. */
  public String version() {
    return version;
  }

  public String displayName() {
    return displayName;
  }

  public String description() {
    return description;
  }

  /**
   * The JSON Schema (draft 2020-12 or draft-07) of this connector's settings object, as JSON text.
   */
  public String settingsSchema() {
    return settingsSchema;
  }

  @Override
  public String toString() {
    return id + "@" + version;
  }

  /** Builds a {@link ConnectorSpec}; not thread-safe. */
  public static final class Builder {
    private final String id;
    private String version = "0.1.0";
    private String displayName;
    private String description;
    private String settingsSchema;

    private Builder(String id) {
      Objects.requireNonNull(id, "id");
      if (!ID.matcher(id).matches()) {
        throw new IllegalArgumentException(
            "connector id '" + id + "' must be lower-case words joined by '-'");
      }
      this.id = id;
    }

    public Builder version(String version) {
      if (!SEMVER.matcher(Objects.requireNonNull(version, "version")).matches()) {
        throw new IllegalArgumentException(
            "connector version '" + version + "' is not semver (1.2.3)");
      }
      this.version = version;
      return this;
    }

    public Builder displayName(String displayName) {
      this.displayName = displayName;
      return this;
    }

    public Builder description(String description) {
      this.description = description;
      return this;
    }

    /** The settings JSON Schema as JSON text; without one the connector takes no settings. */
    public Builder settingsSchema(String settingsSchema) {
      this.settingsSchema = Objects.requireNonNull(settingsSchema, "settingsSchema");
      return this;
    }

    /**
     * The settings JSON Schema from a class-path resource next to {@code anchor}, such as {@code
     * settingsSchemaResource(MyDestination.class, "/my-settings.schema.json")}; UTF-8.
     *
     * @throws IllegalStateException naming the resource when it is missing or unreadable
     */
    public Builder settingsSchemaResource(Class<?> anchor, String resource) {
      try (InputStream in = anchor.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException(
              "settings schema resource " + resource + " not found next to " + anchor.getName());
        }
        return settingsSchema(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new IllegalStateException("cannot read settings schema resource " + resource, e);
      }
    }

    public ConnectorSpec build() {
      return new ConnectorSpec(this);
    }
  }
}
