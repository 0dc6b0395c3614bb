/**
 * The export scheduler: sealed store chunks to batch destinations in order, with durable
 * checkpoints, pins and backfill; audience syncs. Entry point {@link
 * dev.weir.exports.ExportScheduler}.
 */
package dev.weir.exports;
