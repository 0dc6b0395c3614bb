package dev.weir.host.plugin;

import dev.weir.sdk.Event;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Builds real plugin jars at test time: compiles Java source with javac against the SDK, pf4j,
 * slf4j and OkHttp, lets pf4j's annotation processor write {@code META-INF/extensions.idx}, and
 * packs a jar with a plugin manifest.
 */
final class PluginJars {
  /**
   * A streaming destination that appends "event_type insert_id" lines to the file named by its
   * settings.
   */
  static final String COLLECTING_DESTINATION =
      """
      package com.example.weirplugin;

      import dev.weir.sdk.ConnectorContext;
      import dev.weir.sdk.ConnectorSpec;
      import dev.weir.sdk.Event;
      import dev.weir.sdk.Outcome;
      import dev.weir.sdk.StreamingDestination;
      import java.nio.charset.StandardCharsets;
      import java.nio.file.Files;
      import java.nio.file.Path;
      import java.nio.file.StandardOpenOption;
      import java.util.ArrayList;
      import java.util.List;
      import org.pf4j.Extension;

      @Extension
      public class CollectingDestination extends StreamingDestination {
        private Path path;

        @Override
        public ConnectorSpec spec() {
          return ConnectorSpec.builder("collect").version("1.2.3").displayName("Collect (test plugin)")
              .settingsSchema("{\\"type\\":\\"object\\",\\"additionalProperties\\":false,\\"required\\":[\\"path\\"],"
                  + "\\"properties\\":{\\"path\\":{\\"type\\":\\"string\\"}}}")
              .build();
        }

        @Override
        public void start(ConnectorContext context) {
          path = Path.of(context.settings().requireString("path"));
          context.logger().info("collecting into {} (loaded by {})", path, getClass().getClassLoader());
        }

        @Override
        public synchronized List<Outcome> deliver(List<Event> batch) throws Exception {
          StringBuilder sb = new StringBuilder();
          List<Outcome> out = new ArrayList<>();
          for (Event e : batch) {
            sb.append(e.eventType()).append(' ').append(e.insertId()).append('\\n');
            out.add(Outcome.delivered());
          }
          Files.writeString(path, sb.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
          return out;
        }
      }
      """;

  private PluginJars() {}

  /** Compiles {@code source} and packs it as {@code <dir>/<name>.jar}. */
  static Path build(Path dir, String name, String source, boolean withIndex, boolean bundleSdk)
      throws IOException {
    return build(dir, name, name, "1.2.3", source, withIndex, bundleSdk);
  }

  /**
   * Like {@link #build(Path, String, String, boolean, boolean)} with the manifest's Plugin-Id and
   * Plugin-Version.
   */
  static Path build(
      Path dir,
      String name,
      String pluginId,
      String pluginVersion,
      String source,
      boolean withIndex,
      boolean bundleSdk)
      throws IOException {
    Path work = Files.createTempDirectory(dir, name + "-build");
    java.util.regex.Matcher cls =
        java.util.regex.Pattern.compile("public (?:final )?class (\\w+)").matcher(source);
    String className = cls.find() ? cls.group(1) : "CollectingDestination";
    Path src = work.resolve("src/com/example/weirplugin/" + className + ".java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, source);
    Path classes = Files.createDirectories(work.resolve("classes"));

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager fm =
        javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
      List<String> options =
          new ArrayList<>(
              List.of("-classpath", classpath(), "-d", classes.toString(), "--release", "17"));
      if (withIndex) {
        options.addAll(List.of("-processor", "org.pf4j.processor.ExtensionAnnotationProcessor"));
      } else {
        options.add("-proc:none");
      }
      boolean ok =
          javac
              .getTask(null, fm, diagnostics, options, null, fm.getJavaFileObjects(src.toFile()))
              .call();
      if (!ok) {
        throw new IllegalStateException("plugin did not compile: " + diagnostics.getDiagnostics());
      }
    }
    if (bundleSdk) {
      Path target = classes.resolve("dev/weir/sdk/Event.class");
      Files.createDirectories(target.getParent());
      try (InputStream in = Event.class.getResourceAsStream("Event.class")) {
        Files.copy(in, target);
      }
    }
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    mf.getMainAttributes().putValue("Plugin-Id", pluginId);
    mf.getMainAttributes().putValue("Plugin-Version", pluginVersion);
    mf.getMainAttributes().putValue("Plugin-Provider", "Weir tests");
    Path jar = dir.resolve(name + ".jar");
    try (OutputStream os = Files.newOutputStream(jar);
        JarOutputStream jos = new JarOutputStream(os, mf);
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        jos.putNextEntry(
            new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
        jos.write(Files.readAllBytes(f));
        jos.closeEntry();
      }
    }
    return jar;
  }

  /**
   * The jars the plugin compiles against: where the SDK, pf4j, slf4j, OkHttp, Okio and Kotlin
   * classes live.
   */
  private static String classpath() {
    List<String> parts = new ArrayList<>();
    for (Class<?> c :
        List.of(
            Event.class,
            org.pf4j.Extension.class,
            org.slf4j.Logger.class,
            okhttp3.OkHttpClient.class,
            okio.Buffer.class,
            kotlin.Unit.class)) {
      try {
        parts.add(
            Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
    return String.join(File.pathSeparator, parts);
  }
}
