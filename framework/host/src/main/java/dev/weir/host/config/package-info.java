/**
 * The workspace file: loading, reference resolution ({@code ${env:X}}, files), schema and semantic
 * checks with exact file, line and path, and the printable (redacted) copy. Entry point {@link
 * dev.weir.host.config.WorkspaceLoader}.
 */
package dev.weir.host.config;
