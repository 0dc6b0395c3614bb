/**
 * The {@code postgres-warehouse} batch destination: loads sealed chunks into PostgreSQL tables
 * idempotently by chunk id.
 */
package dev.weir.connectors.pgwarehouse;
