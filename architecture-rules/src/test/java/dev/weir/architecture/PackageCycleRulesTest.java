package dev.weir.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

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
class PackageCycleRulesTest {
  private static final ArchRule PACKAGES_FORM_NO_CYCLES =
      slices()
          .matching("dev.weir.(**)")
          .should()
          .beFreeOfCycles()
          .because(
              "a cycle makes two packages one unit that can only be understood, tested and split"
                  + " together; every package should sit on the ones below it");

  @ArchTest
  void packagesFormNoCycles(JavaClasses classes) {
    PACKAGES_FORM_NO_CYCLES.check(classes);
  }
}
