/** The {@code kafka} streaming destination: each event as a record on a topic. */
package dev.weir.connectors.kafka;
