/**
 * What a connector runs inside, written once and shared by the host, the admin API, partner
 * definitions and the SDK test kit: {@link dev.weir.runtime.RuntimeContext} (the {@code
 * ConnectorContext}), {@link dev.weir.runtime.SettingsSchema} (settings validation, defaults,
 * coercion and nested secrets), {@link dev.weir.runtime.Redactor} (the one way secrets are hidden
 * in output), and the state stores ({@link dev.weir.runtime.FileStateStore}, {@link
 * dev.weir.runtime.MemoryStateStore}).
 */
package dev.weir.runtime;
