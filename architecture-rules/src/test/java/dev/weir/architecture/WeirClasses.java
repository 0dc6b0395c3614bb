package dev.weir.architecture;

/** Package names the rules talk about, declared once. */
final class WeirClasses {
  static final String SDK = "dev.weir.sdk..";
  static final String REALTIME = "dev.weir.realtime..";
  static final String CONNECTORS = "dev.weir.connectors..";
  static final String CONNECTOR_LIBRARIES = "dev.weir.ingest..";

  /** Everything under framework/. */
  static final String[] FRAMEWORK = {
    "dev.weir.runtime..",
    "dev.weir.governance..",
    "dev.weir.delivery..",
    "dev.weir.definitions..",
    "dev.weir.exports..",
    "dev.weir.cluster..",
    "dev.weir.admin..",
    "dev.weir.host.."
  };

  /** Code that exists for tests and measurements, never for the running product. */
  static final String[] TEST_AND_BENCHMARK = {
    "dev.weir.bench..",
    "dev.weir.testkit..",
    "dev.weir.testsupport..",
    "org.junit..",
    "org.assertj..",
    "org.awaitility..",
    "mockwebserver3..",
    "org.openjdk.jmh.."
  };

  private WeirClasses() {}
}
