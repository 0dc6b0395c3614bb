/**
 * The {@code postgres-sink} destination, an SDK showcase: upserts events into a PostgreSQL table
 * keyed by insert id.
 */
package dev.weir.connectors.pgsink;
