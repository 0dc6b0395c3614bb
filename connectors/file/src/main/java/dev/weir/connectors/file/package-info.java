/**
 * The {@code file} destination: events as NDJSON files in a directory, each file fsynced and
 * renamed from {@code .ndjson.tmp} to {@code .ndjson} when rotated by size or age.
 */
package dev.weir.connectors.file;
