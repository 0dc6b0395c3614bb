/**
 * The {@code file-export} batch destination: sealed chunks as NDJSON, CSV or Parquet (through
 * DuckDB) files in a directory or S3, with manifests.
 */
package dev.weir.connectors.fileexport;
