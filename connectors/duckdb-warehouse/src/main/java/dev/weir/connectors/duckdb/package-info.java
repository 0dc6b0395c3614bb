/**
 * The {@code duckdb-warehouse} batch destination: sealed chunks loaded into a DuckDB database file,
 * one transaction per chunk, idempotent by chunk id and deduplicated by {@code
 * source_id:insert_id}.
 */
package dev.weir.connectors.duckdb;
