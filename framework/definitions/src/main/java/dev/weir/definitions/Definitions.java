package dev.weir.definitions;

import dev.weir.sdk.SourceConnector;
import dev.weir.sdk.StreamingDestination;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The entry point of partner definitions: parse and validate a YAML definition, turn it into a
 * running {@link StreamingDestination} or {@link SourceConnector}, and compare versions. Stateless;
 * thread-safe.
 *
 * <pre>{@code
 * Definition def = Definitions.parse(Path.of("ads.yaml"));      // throws DefinitionException with every problem
 * StreamingDestination dest = Definitions.destination(def);     // host calls start(context), deliver(batch)...
 * DeliverySettings d = def.delivery();                          // host maps onto the delivery engine's config
 * }</pre>
 */
public final class Definitions {
  private Definitions() {}

  /** Reads and validates one definition file; the problems name this path. */
  public static Definition parse(Path file) throws DefinitionException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new DefinitionException(
          List.of(
              new Problem(file.toString(), 1, 1, "", "cannot read the file: " + e.getMessage())));
    }
    return parse(file.toString(), utf8(file.toString(), bytes));
  }

  /**
   * Decodes UTF-8 strictly; a malformed byte sequence is a problem at its line and column (counted
   * in characters, as the YAML parser counts them).
   */
  private static String utf8(String file, byte[] bytes) throws DefinitionException {
    java.nio.charset.CharsetDecoder d =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
    java.nio.charset.CoderResult r = d.decode(in, out, true);
    if (!r.isError()) {
      r = d.flush(out);
    }
    if (r.isError()) {
      out.flip();
      String before = out.toString();
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < before.length(); i++) {
        if (before.charAt(i) == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      throw new DefinitionException(
          List.of(
              new Problem(
                  file,
                  line,
                  before.length() - lineStart + 1,
                  "",
                  String.format(
                      "not valid UTF-8: byte 0x%02X at offset %d does not start a character",
                      bytes[in.position()] & 0xff, in.position()))));
    }
    out.flip();
    return out.toString();
  }

  /** Validates definition {@code text}; {@code file} only names it in problems. */
  public static Definition parse(String file, String text) throws DefinitionException {
    return DefinitionParser.parse(file, text);
  }

  /**
   * A destination running {@code def}; not started. Throws if {@code def} is not a {@code
   * Destination}.
   */
  public static StreamingDestination destination(Definition def) {
    requireKind(def, "Destination");
    return new DefinitionDestination(def, System::currentTimeMillis);
  }

  /**
   * A polling source running {@code def}; not started. Throws if {@code def} is not a {@code
   * Source}.
   */
  public static SourceConnector source(Definition def) {
    requireKind(def, "Source");
    return new DefinitionSource(def);
  }

  /**
   * Breaking changes from {@code older} to {@code newer}; empty when customers can upgrade safely.
   */
  public static List<String> breakingChanges(Definition older, Definition newer) {
    return UpgradeCheck.breakingChanges(older, newer);
  }

  /**
   * The request bodies {@code def} would send for {@code events} (trigger, batch key, mapping and
   * splitting applied; no auth, nothing sent), for previews and benchmarks. Events that trigger
   * nothing or whose mapping fails contribute no body.
   */
  public static List<byte[]> renderBodies(
      Definition def,
      java.util.Map<String, ?> settings,
      List<dev.weir.sdk.Event> events,
      long nowMillis) {
    RequestPlanner.Plan plan =
        new RequestPlanner(def, def.withDefaults(settings)).plan(events, nowMillis);
    return plan.requests().stream().map(PlannedRequest::body).toList();
  }

  private static void requireKind(Definition def, String kind) {
    if (!kind.equals(def.kind())) {
      throw new IllegalArgumentException(def + " is a " + def.kind() + ", not a " + kind);
    }
  }
}
