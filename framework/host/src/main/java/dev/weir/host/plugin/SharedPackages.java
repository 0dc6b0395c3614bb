package dev.weir.host.plugin;

import java.util.List;

/**
 * The packages the host shares with every plugin, declared once: they always load parent-first (one
 * {@code Event} class for everyone) and a plugin jar that bundles any of them is refused (its copy
 * would be silently shadowed). Exactly the SDK's own dependencies: the SDK itself, slf4j and pf4j.
 * Everything else a plugin uses (OkHttp, Jackson, Kotlin...) it bundles and loads from its own jar
 * first.
 */
final class SharedPackages {
  /** Package prefixes in class-name form ({@code dev.weir.sdk.}). */
  static final List<String> PREFIXES = List.of("dev.weir.sdk.", "org.slf4j.", "org.pf4j.");

  private SharedPackages() {}

  /** The same prefixes as jar entry paths ({@code dev/weir/sdk/}). */
  static List<String> paths() {
    return PREFIXES.stream().map(p -> p.replace('.', '/')).toList();
  }
}
