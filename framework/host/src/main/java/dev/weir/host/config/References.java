package dev.weir.host.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${env:NAME}}, {@code ${env:NAME:-default}} and {@code ${file:path}} inside string values. Values
 * that came from the environment or a file are remembered as secrets (except plain numbers and booleans, and
 * inline defaults, which are written in the file anyway). {@code $${} escapes a literal {@code ${}. Not thread-safe.
 */
final class References {
  private static final Pattern REF = Pattern.compile("\\$?\\$\\{([a-z]+):([^}]*)}");

  private final Function<String, String> env;
  private final Path baseDir;
  private final Set<String> secrets;
  private final Set<String> credentials = new java.util.LinkedHashSet<>();
  private final Set<String> publicNames;

  /**
   * An environment variable whose name says it holds a credential ({@code CRM_TOKEN}, {@code
   * WEB_KEY}).
   */
  private static final Pattern CREDENTIAL_NAME =
      Pattern.compile("(?i).*(token|password|passwd|secret|credential|key|jaas|auth).*");

  References(
      Function<String, String> env, Set<String> publicNames, Path baseDir, Set<String> secrets) {
    this.env = env;
    this.publicNames = publicNames;
    this.baseDir = baseDir;
    this.secrets = secrets;
  }

  /**
   * The values that are credentials wherever they are used, even inside a URL or under an ordinary
   * key: those of environment variables whose name says so, and every {@code ${file:...}}.
   */
  Set<String> credentials() {
    return credentials;
  }

  /**
   * The text with every reference replaced; throws with a user-facing message when one cannot be
   * resolved.
   */
  String resolve(String text) {
    if (text.indexOf("${") < 0) {
      return text;
    }
    Matcher m = REF.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String whole = m.group();
      String replacement;
      if (whole.startsWith("$$")) {
        replacement = whole.substring(1);
      } else {
        replacement = lookup(m.group(1), m.group(2));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String lookup(String kind, String arg) {
    switch (kind) {
      case "env" -> {
        String name = arg;
        String fallback = null;
        int dflt = arg.indexOf(":-");
        if (dflt >= 0) {
          name = arg.substring(0, dflt);
          fallback = arg.substring(dflt + 2);
        }
        String v = env.apply(name);
        if (v == null) {
          if (fallback != null) {
            return fallback;
          }
          throw new IllegalArgumentException(
              "unresolved reference ${env:"
                  + name
                  + "}: environment variable "
                  + name
                  + " is not set");
        }
        if (!publicNames.contains(name)) {
          remember(v);
          if (CREDENTIAL_NAME.matcher(name).matches()) {
            rememberCredential(v);
          }
        }
        return v;
      }
      case "file" -> {
        Path p = baseDir.resolve(arg);
        try {
          String v = Files.readString(p, StandardCharsets.UTF_8).strip();
          remember(v);
          rememberCredential(v);
          return v;
        } catch (IOException e) {
          throw new IllegalArgumentException(
              "unresolved reference ${file:"
                  + arg
                  + "}: cannot read "
                  + p
                  + " ("
                  + e.getClass().getSimpleName()
                  + ")");
        }
      }
      default ->
          throw new IllegalArgumentException(
              "unknown reference kind '${" + kind + ":...}'; use ${env:NAME} " + "or ${file:path}");
    }
  }

  private void rememberCredential(String value) {
    if (maskable(value)) {
      credentials.add(value);
    }
  }

  private void remember(String value) {
    if (maskable(value)) {
      secrets.add(value);
    }
  }

  /** Plain numbers, booleans and very short values are not masked (they would eat other text). */
  private static boolean maskable(String value) {
    return value.length() >= 3 && !value.matches("-?\\d+(\\.\\d+)?|true|false");
  }
}
