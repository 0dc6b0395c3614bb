package dev.weir.host.plugin;

import java.util.List;

/** Plugins could not be loaded; the message names every offending jar by path and says why. */
public final class PluginLoadException extends Exception {
  private final List<String> problems;

  public PluginLoadException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
