/** Real services for Weir's own tests, in-process: a single-node KRaft Kafka broker. */
package dev.weir.testsupport;
