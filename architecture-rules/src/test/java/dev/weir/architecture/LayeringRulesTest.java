package dev.weir.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Run as {@code @ArchTest} methods: Surefire 3.5.3 skips {@code @ArchTest} fields
 * (TNG/ArchUnit#1442).
 */
@AnalyzeClasses(packages = "dev.weir", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringRulesTest {
  private static final ArchRule REALTIME_CORE_DOES_NOT_DEPEND_ON_THE_FRAMEWORK =
      noClasses()
          .that()
          .resideInAPackage(WeirClasses.REALTIME)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(WeirClasses.FRAMEWORK)
          .because(
              "the store is a library of its own (embedded, benchmarked and later distributed on its"
                  + " own); the framework uses it, never the other way round");

  @ArchTest
  void realtimeCoreDoesNotDependOnTheFramework(JavaClasses classes) {
    REALTIME_CORE_DOES_NOT_DEPEND_ON_THE_FRAMEWORK.check(classes);
  }

  private static final ArchRule CONNECTORS_DEPEND_ONLY_ON_THE_SDK_AND_THEIR_OWN_LIBRARIES =
      noClasses()
          .that()
          .resideInAnyPackage(WeirClasses.CONNECTORS, WeirClasses.CONNECTOR_LIBRARIES)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(WeirClasses.FRAMEWORK)
          .orShould()
          .dependOnClassesThat()
          .resideInAPackage(WeirClasses.REALTIME)
          .because(
              "a connector is a plugin: the host loads it in its own class loader and hands it only"
                  + " the SDK, so anything else it touched would be missing or a second copy at run"
                  + " time");

  @ArchTest
  void connectorsDependOnlyOnTheSdkAndTheirOwnLibraries(JavaClasses classes) {
    CONNECTORS_DEPEND_ONLY_ON_THE_SDK_AND_THEIR_OWN_LIBRARIES.check(classes);
  }

  private static final ArchRule FRAMEWORK_DOES_NOT_DEPEND_ON_CONNECTORS =
      noClasses()
          .that()
          .resideInAnyPackage(WeirClasses.FRAMEWORK)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(WeirClasses.CONNECTORS, WeirClasses.CONNECTOR_LIBRARIES)
          .because(
              "built-in connectors (and the libraries they share, such as the ingest formats) are"
                  + " plugins found on the class path as pf4j extensions; the host must run without"
                  + " any of them, and reaches what they offer only through the SDK (an"
                  + " EventFormat service, a connector)");

  @ArchTest
  void frameworkDoesNotDependOnConnectors(JavaClasses classes) {
    FRAMEWORK_DOES_NOT_DEPEND_ON_CONNECTORS.check(classes);
  }

  private static final ArchRule MAIN_CODE_DOES_NOT_DEPEND_ON_BENCHMARK_OR_TEST_CODE =
      noClasses()
          .that()
          .resideOutsideOfPackages(
              "dev.weir.bench..", "dev.weir.testkit..", "dev.weir.testsupport..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(WeirClasses.TEST_AND_BENCHMARK)
          .because(
              "what ships in weir.jar and in plugins must not need test or benchmark code (nor their"
                  + " libraries) to load");

  @ArchTest
  void mainCodeDoesNotDependOnBenchmarkOrTestCode(JavaClasses classes) {
    MAIN_CODE_DOES_NOT_DEPEND_ON_BENCHMARK_OR_TEST_CODE.check(classes);
  }

  private static final ArchRule BENCHMARK_CODE_LIVES_IN_THE_BENCHMARKS_MODULE =
      classes()
          .that()
          .resideInAPackage("..bench..")
          .and()
          .resideOutsideOfPackage("dev.weir.host.bench..")
          .should()
          .resideInAPackage("dev.weir.bench..")
          .allowEmptyShould(true)
          .because(
              "load generators and JMH benchmarks belong in benchmarks/ (benchmarks.jar), not in the"
                  + " main sources of a module that ships; the one exception is dev.weir.host.bench, the"
                  + " `weir bench ingest` command users run to measure their own machine");

  @ArchTest
  void benchmarkCodeLivesInTheBenchmarksModule(JavaClasses classes) {
    BENCHMARK_CODE_LIVES_IN_THE_BENCHMARKS_MODULE.check(classes);
  }
}
