package dev.weir.testkit;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 extension behind {@link WeirConnectorTest}: resolves {@link ConnectorHarness}
 * parameters, one per test, and closes it (stopping every connector it started, closing its
 * MockWebServer, deleting its temp dir) after the test.
 */
public final class WeirExtension implements ParameterResolver, AfterEachCallback {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(WeirExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ConnectorHarness.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getStore(NS)
        .getOrComputeIfAbsent(
            ConnectorHarness.class, k -> new ConnectorHarness(), ConnectorHarness.class);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    ConnectorHarness harness =
        context.getStore(NS).remove(ConnectorHarness.class, ConnectorHarness.class);
    if (harness != null) {
      harness.close();
    }
  }
}
