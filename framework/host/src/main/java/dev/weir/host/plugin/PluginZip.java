package dev.weir.host.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A plugin distribution zip: exactly one plugin {@code .jar} inside (at any depth), extracted for
 * install. Stateless.
 */
final class PluginZip {
  private PluginZip() {}

  /** Extracts the zip's one jar into a temp directory, under its own file name. */
  static Path extractJar(Path zip) throws PluginLoadException {
    try (ZipFile zf = new ZipFile(zip.toFile())) {
      List<ZipEntry> jars = new ArrayList<>();
      for (Enumeration<? extends ZipEntry> e = zf.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        if (!entry.isDirectory() && entry.getName().endsWith(".jar")) {
          jars.add(entry);
        }
      }
      if (jars.size() != 1) {
        throw new PluginLoadException(
            List.of(
                "plugin "
                    + zip
                    + " must hold exactly one .jar, it holds "
                    + jars.stream().map(ZipEntry::getName).toList()));
      }
      String name = Path.of(jars.get(0).getName()).getFileName().toString();
      Path out = Files.createTempDirectory("weir-plugin-zip").resolve(name);
      try (InputStream in = zf.getInputStream(jars.get(0))) {
        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
      }
      return out;
    } catch (IOException e) {
      throw new PluginLoadException(
          List.of("plugin " + zip + " cannot be read as a zip: " + e.getMessage()));
    }
  }

  static void delete(Path extracted) {
    try {
      Files.deleteIfExists(extracted);
      Files.deleteIfExists(extracted.getParent());
    } catch (IOException e) {
      // a leftover temp file is harmless
    }
  }
}
