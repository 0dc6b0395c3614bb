package dev.weir.definitions.cli;

import dev.weir.definitions.Catalog;
import dev.weir.definitions.Definition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code connector list [path...]}: the catalog overview of the definitions in the given files or
 * directories, with the columns of docs/catalog.md (id, name, category, auth, batching, deletion,
 * settings; * marks a required setting).
 */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description =
        "List destination definitions with category, auth, batching, deletion support and settings.")
public final class ListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..*",
      paramLabel = "PATH",
      description =
          "definition files or directories of them (default: portal-config-examples/definitions,"
              + " else the current directory)")
  List<Path> paths;

  @Option(names = "--all", description = "also list sources and the -style tutorial examples")
  boolean all;

  @Option(names = "--markdown", description = "print the catalog as docs/catalog.md renders it")
  boolean markdown;

  @Override
  public Integer call() throws IOException {
    List<Path> roots = paths;
    if (roots == null || roots.isEmpty()) {
      Path examples = Path.of("portal-config-examples", "definitions");
      roots = List.of(Files.isDirectory(examples) ? examples : Path.of("."));
    }
    List<Catalog.Entry> entries = new ArrayList<>();
    int broken = 0;
    for (Path root : roots) {
      for (Path f : files(root)) {
        Definition d = CommandFiles.load(f, spec.commandLine().getErr());
        if (d == null) {
          broken++;
        } else if (all || (d.kind().equals("Destination") && !d.id().endsWith("-style"))) {
          entries.add(Catalog.of(d));
        }
      }
    }
    spec.commandLine()
        .getOut()
        .print(markdown ? Catalog.markdown(entries) : Catalog.table(entries));
    spec.commandLine().getOut().flush();
    return broken == 0 ? 0 : 1;
  }

  private static List<Path> files(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of(root);
    }
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted()
          .toList();
    }
  }
}
