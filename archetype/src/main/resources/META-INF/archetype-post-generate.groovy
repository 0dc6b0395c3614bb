// Keeps the sources of the chosen kind (-Dkind=destination, the default, or -Dkind=source).
import java.nio.file.Files
import java.nio.file.Path

Path project = java.nio.file.Paths.get(request.outputDirectory, request.artifactId)
String kind = request.properties.get("kind")
String pkg = request.properties.get("package").replace('.', '/')
String drop = kind == "source" ? "PluginDestination" : "PluginSource"
[project.resolve("src/main/java/${pkg}/${drop}.java"),
 project.resolve("src/test/java/${pkg}/${drop}ConformanceTest.java")].each { Files.deleteIfExists(it) }
