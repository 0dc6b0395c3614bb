/**
 * The {@code postgres-crawler} source, an SDK showcase: polls a table for rows changed since its
 * cursor ({@code updated_at}, {@code id}) and persists the cursor in connector state only after the
 * store made the submission durable.
 */
package dev.weir.connectors.pgcrawler;
