/**
 * The SDK test kit for plugin authors: {@code @WeirConnectorTest}, real contexts built on the
 * host's connector runtime, captured logs and metrics, and the {@code
 * StreamingDestinationConformance} suite.
 */
package dev.weir.testkit;
