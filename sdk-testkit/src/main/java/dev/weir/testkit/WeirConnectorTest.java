package dev.weir.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that runs connectors with the test kit: test methods (and constructors) may
 * take a {@link ConnectorHarness} parameter, fresh for each test and torn down after it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(WeirExtension.class)
public @interface WeirConnectorTest {}
