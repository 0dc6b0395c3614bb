/**
 * Partner definitions: declarative (YAML) destinations and sources, their parser and JSON Schema
 * validation, JSONata templates, auth (API keys, HMAC, OAuth2), request planning, response
 * classification, dry runs and fixtures. Entry points {@link
 * dev.weir.definitions.DefinitionRegistry} and {@link dev.weir.definitions.DefinitionDestination}.
 */
package dev.weir.definitions;
