package dev.weir.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

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
class SdkDependencyRulesTest {
  private static final ArchRule SDK_DEPENDS_ONLY_ON_THE_JDK_SLF4J_AND_PF4J =
      classes()
          .that()
          .resideInAPackage(WeirClasses.SDK)
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(WeirClasses.SDK, "java..", "org.slf4j..", "org.pf4j..")
          .because(
              "every plugin compiles against the SDK: whatever it uses lands on every plugin's class"
                  + " path and becomes part of the plugin API (docs/adr/0007-sdk-http-seam.md)");

  @ArchTest
  void sdkDependsOnlyOnTheJdkSlf4jAndPf4j(JavaClasses classes) {
    SDK_DEPENDS_ONLY_ON_THE_JDK_SLF4J_AND_PF4J.check(classes);
  }
}
