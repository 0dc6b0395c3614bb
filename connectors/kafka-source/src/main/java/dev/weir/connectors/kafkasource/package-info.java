/**
 * The {@code kafka-source} source: reads topics, submits events and commits offsets only after they
 * are durable; bad records go to a dead-letter topic.
 */
package dev.weir.connectors.kafkasource;
