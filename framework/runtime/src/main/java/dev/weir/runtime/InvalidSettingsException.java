package dev.weir.runtime;

import java.util.List;

/** Settings that do not satisfy their connector's schema; lists every problem by path. */
public final class InvalidSettingsException extends IllegalArgumentException {
  private final transient List<SettingsProblem> problems;

  public InvalidSettingsException(String connector, List<SettingsProblem> problems) {
    super("settings of " + connector + " are invalid: " + problems);
    this.problems = List.copyOf(problems);
  }

  public List<SettingsProblem> problems() {
    return problems;
  }
}
