/**
 * Cluster mode on Kafka (see {@code docs/cluster.md}): {@link ClusterSettings} (the workspace's
 * {@code cluster:} section), {@link ClusterTopics} (what {@code weir cluster init} creates and what
 * a node checks before it starts) and {@link EventsProducer} (the ingest role's durable hand-off to
 * the events topic). Store nodes, hand-off and scatter-gather queries are not built yet.
 */
package dev.weir.cluster;
