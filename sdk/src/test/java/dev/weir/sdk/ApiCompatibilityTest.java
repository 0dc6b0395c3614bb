package dev.weir.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Guards the SDK's binary API against accidental breaks. {@code sdk/api/weir-sdk.api} records every
 * public and protected signature of the SDK at a version. Within the same major version a recorded
 * signature may never disappear or change (plugins compiled against it would break); new signatures
 * are fine but must be recorded, so that every API change is reviewed. Record with {@code mvn -pl
 * sdk test -Dweir.api.record=true}.
 */
class ApiCompatibilityTest {
  private static final Path API_FILE = Path.of("api/weir-sdk.api");
  private static final List<Class<?>> API =
      List.of(
          BatchDestination.class,
          ConnectorContext.class,
          ConnectorKind.class,
          ConnectorMetrics.class,
          ConnectorMetrics.Counter.class,
          ConnectorMetrics.Timer.class,
          ConnectorSpec.class,
          ConnectorSpec.Builder.class,
          Event.class,
          Event.Builder.class,
          Event.Field.class,
          Event.Kind.class,
          EventFormat.class,
          EventFormat.Parsed.class,
          ExportBatch.class,
          ExportResult.class,
          ExportResult.RejectedRow.class,
          Health.class,
          Health.Status.class,
          Ids.class,
          JsonObjectWriter.class,
          Outcome.class,
          Outcome.Status.class,
          Plan.class,
          RecordWriter.class,
          Settings.class,
          SourceConnector.class,
          SourceContext.class,
          StateStore.class,
          StoreUnavailableException.class,
          StreamingDestination.class,
          SubmitResult.class,
          SubmitResult.EventStatus.class,
          UserDeletion.class,
          Violation.class,
          dev.weir.sdk.http.HttpClient.class,
          dev.weir.sdk.http.HttpRequest.class,
          dev.weir.sdk.http.HttpRequest.Builder.class,
          dev.weir.sdk.http.HttpResponse.class);

  @Test
  void everyPublicTypeOfTheSdkIsCovered() throws IOException {
    Path sources = Path.of("src/main/java/dev/weir/sdk");
    List<String> declared;
    try (var files = Files.walk(sources)) {
      declared =
          files
              .filter(Files::isRegularFile)
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".java") && !n.equals("package-info.java"))
              .map(n -> n.substring(0, n.length() - 5))
              .filter(n -> isPublic(n))
              .sorted()
              .toList();
    }
    assertThat(
            API.stream()
                .filter(c -> c.getEnclosingClass() == null)
                .map(Class::getSimpleName)
                .sorted())
        .as("add new public SDK types to ApiCompatibilityTest.API")
        .containsExactlyElementsOf(declared);
  }

  @Test
  void noRecordedSignatureIsRemovedOrChangedWithinAMajorVersion() throws IOException {
    List<String> current = signatures();
    if (Boolean.getBoolean("weir.api.record")) {
      Files.writeString(
          API_FILE,
          "# weir-sdk API at version " + version() + "\n" + String.join("\n", current) + "\n",
          StandardCharsets.UTF_8);
    }
    List<String> lines = Files.readAllLines(API_FILE, StandardCharsets.UTF_8);
    String recordedVersion = lines.get(0).substring(lines.get(0).lastIndexOf(' ') + 1);
    List<String> recorded = lines.subList(1, lines.size());

    List<String> removed = recorded.stream().filter(s -> !current.contains(s)).toList();
    List<String> added = current.stream().filter(s -> !recorded.contains(s)).toList();
    if (major(recordedVersion).equals(major(version()))) {
      assertThat(removed)
          .as(
              "signatures removed or changed since %s break plugins; bump the major version to do that",
              recordedVersion)
          .isEmpty();
    }
    assertThat(added)
        .as("new SDK signatures: review them, then record with -Dweir.api.record=true")
        .isEmpty();
  }

  private static List<String> signatures() {
    TreeSet<String> out = new TreeSet<>();
    for (Class<?> c : API) {
      String type = c.getName().substring("dev.weir.sdk.".length());
      out.add(type + " " + kind(c) + supertypes(c));
      for (Constructor<?> k : c.getDeclaredConstructors()) {
        if (visible(k.getModifiers()) && !c.isEnum()) {
          out.add(type + " <init>" + params(k));
        }
      }
      for (Method m : c.getDeclaredMethods()) {
        if (visible(m.getModifiers()) && !m.isSynthetic()) {
          out.add(
              type
                  + " "
                  + (Modifier.isStatic(m.getModifiers()) ? "static " : "")
                  + (Modifier.isAbstract(m.getModifiers()) && !c.isInterface() ? "abstract " : "")
                  + m.getGenericReturnType().getTypeName()
                  + " "
                  + m.getName()
                  + params(m));
        }
      }
      for (Field f : c.getDeclaredFields()) {
        if (visible(f.getModifiers()) && !f.isSynthetic()) {
          out.add(type + " field " + f.getGenericType().getTypeName() + " " + f.getName());
        }
      }
    }
    return new ArrayList<>(out);
  }

  private static String kind(Class<?> c) {
    if (c.isInterface()) {
      return "interface";
    }
    if (c.isEnum()) {
      return "enum";
    }
    if (c.isRecord()) {
      return "record";
    }
    return (Modifier.isAbstract(c.getModifiers()) ? "abstract " : "")
        + (Modifier.isFinal(c.getModifiers()) ? "final " : "")
        + "class";
  }

  private static String supertypes(Class<?> c) {
    List<String> names = new ArrayList<>();
    if (c.getSuperclass() != null
        && c.getSuperclass() != Object.class
        && !c.isEnum()
        && !c.isRecord()) {
      names.add(c.getSuperclass().getName());
    }
    Arrays.stream(c.getInterfaces()).map(Class::getName).forEach(names::add);
    return names.isEmpty() ? "" : " : " + String.join(", ", names);
  }

  private static String params(Executable e) {
    return Arrays.stream(e.getGenericParameterTypes())
        .map(t -> t.getTypeName())
        .collect(Collectors.joining(", ", "(", ")"));
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static boolean isPublic(String simpleName) {
    try {
      return Modifier.isPublic(Class.forName("dev.weir.sdk." + simpleName).getModifiers());
    } catch (ClassNotFoundException e) {
      try {
        return Modifier.isPublic(Class.forName("dev.weir.sdk.http." + simpleName).getModifiers());
      } catch (ClassNotFoundException e2) {
        throw new AssertionError(e2);
      }
    }
  }

  private static String version() {
    return System.getProperty("weir.version", "0.1.0-SNAPSHOT");
  }

  private static String major(String version) {
    return version.substring(0, version.indexOf('.'));
  }
}
