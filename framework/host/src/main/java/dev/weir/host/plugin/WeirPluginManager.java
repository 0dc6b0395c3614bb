package dev.weir.host.plugin;

import java.nio.file.Path;
import java.util.List;
import org.pf4j.ClassLoadingStrategy;
import org.pf4j.DefaultPluginManager;
import org.pf4j.JarPluginLoader;
import org.pf4j.JarPluginRepository;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.PluginManager;
import org.pf4j.PluginRepository;

/**
 * pf4j configured for Weir: plugins are jars in one directory, each in its own class loader that
 * looks in the plugin first, except for the packages the host shares ({@link #PARENT_FIRST}), which
 * always come from the host.
 */
final class WeirPluginManager extends DefaultPluginManager {
  static final List<String> PARENT_FIRST = SharedPackages.PREFIXES;

  WeirPluginManager(Path pluginsDir) {
    super(List.of(pluginsDir));
  }

  @Override
  protected PluginRepository createPluginRepository() {
    return new JarPluginRepository(getPluginsRoots());
  }

  @Override
  protected PluginLoader createPluginLoader() {
    return new JarPluginLoader(this) {
      @Override
      protected PluginClassLoader createPluginClassLoader(
          Path pluginPath, PluginDescriptor descriptor) {
        return new SharedPackagesClassLoader(
            pluginManager, descriptor, WeirPluginManager.class.getClassLoader());
      }
    };
  }

  /** Plugin-first class loading, except for the shared packages. */
  static final class SharedPackagesClassLoader extends PluginClassLoader {
    SharedPackagesClassLoader(
        PluginManager manager, PluginDescriptor descriptor, ClassLoader parent) {
      super(manager, descriptor, parent, ClassLoadingStrategy.PDA);
    }

    @Override
    protected boolean shouldDelegateToParent(String className) {
      for (String prefix : PARENT_FIRST) {
        if (className.startsWith(prefix)) {
          return true;
        }
      }
      return super.shouldDelegateToParent(className);
    }
  }
}
