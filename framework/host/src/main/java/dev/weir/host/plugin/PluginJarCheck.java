package dev.weir.host.plugin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Checks a plugin jar before pf4j sees it, so mistakes fail loudly with the jar's path instead of
 * becoming a silently empty connector list: a descriptor (Plugin-Id, Plugin-Version), an extension
 * index, and no bundled copies of the classes the host shares (SDK, slf4j, pf4j). Stateless.
 */
final class PluginJarCheck {
  static final String INDEX = "META-INF/extensions.idx";

  /**
   * Class-file prefixes a plugin must not bundle: the host provides them and loads them
   * parent-first.
   */
  static final List<String> FORBIDDEN = SharedPackages.paths();

  private PluginJarCheck() {}

  /** Every problem with {@code jar}, each naming its path; empty when it is fine. */
  static List<String> problems(Path jar) {
    List<String> out = new ArrayList<>();
    try (JarFile jf = new JarFile(jar.toFile())) {
      Manifest mf = jf.getManifest();
      boolean hasProps = jf.getEntry("plugin.properties") != null;
      Attributes a = mf == null ? null : mf.getMainAttributes();
      if (!hasProps
          && (a == null
              || isBlank(a.getValue("Plugin-Id"))
              || isBlank(a.getValue("Plugin-Version")))) {
        out.add(
            "plugin "
                + jar
                + " has no descriptor: its MANIFEST.MF needs Plugin-Id and Plugin-Version");
      }
      if (jf.getEntry(INDEX) == null) {
        out.add(
            "plugin "
                + jar
                + " has no extension index ("
                + INDEX
                + "), so none of its connectors can be found:"
                + " build it with pf4j's annotation processor (org.pf4j:pf4j on the compile classpath) and mark each"
                + " connector class @Extension");
      }
      for (Enumeration<JarEntry> e = jf.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        for (String prefix : FORBIDDEN) {
          if (name.startsWith(prefix) && name.endsWith(".class")) {
            out.add(
                "plugin "
                    + jar
                    + " is refused: it bundles "
                    + name
                    + "; the host provides "
                    + prefix.replace('/', '.')
                    + "* — declare weir-sdk, pf4j and slf4j with "
                    + "<scope>provided</scope>");
            return out;
          }
        }
      }
    } catch (IOException e) {
      out.add("plugin " + jar + " cannot be read as a jar: " + e.getMessage());
    }
    return out;
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
