package dev.weir.definitions;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document read into a Jackson tree together with the line and column of every node, keyed
 * by JSON pointer, so that later checks can point at the exact line. Duplicate keys are reported,
 * not silently merged. Immutable after {@link #parse}.
 */
final class LocatedYaml {
  private static final YAMLFactory YAML = YAMLFactory.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  final JsonNode root;
  private final Map<String, int[]> locations;
  final List<Problem> problems;

  /** The file holds no document at all (nothing, or only comments). */
  final boolean empty;

  private final String file;

  private LocatedYaml(
      String file, JsonNode root, Map<String, int[]> locations, List<Problem> problems) {
    this.file = file;
    this.root = root;
    this.locations = locations;
    this.problems = problems;
    this.empty = false;
  }

  private LocatedYaml(String file, List<Problem> problems) {
    this.file = file;
    this.root = null;
    this.locations = new HashMap<>();
    this.problems = problems;
    this.empty = true;
  }

  /** Parses {@code text}; a syntax error yields a null root and one located problem. */
  static LocatedYaml parse(String file, String text) {
    Map<String, int[]> locations = new HashMap<>();
    List<Problem> problems = new ArrayList<>();
    try (JsonParser p = YAML.createParser(text)) {
      try {
        JsonToken t = p.nextToken();
        if (t == null) {
          problems.add(
              new Problem(file, 1, 1, "", "the file is empty; expected a definition object"));
          return new LocatedYaml(file, problems);
        }
        JsonNode root = read(p, "", locations, problems, file);
        return new LocatedYaml(file, root, locations, problems);
      } catch (IOException | RuntimeException e) {
        Problem marked = markedProblem(file, e);
        if (marked != null) {
          problems.add(marked);
          return new LocatedYaml(file, null, locations, problems);
        }
        // Some errors (nesting limits, the YAML engine's own) carry no location: use the parser's.
        JsonLocation loc =
            e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
                ? jpe.getLocation()
                : null;
        if (loc == null || loc.getLineNr() < 1) {
          loc = p.currentLocation();
        }
        String msg =
            e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
                ? jpe.getOriginalMessage()
                : e.getMessage();
        problems.add(
            new Problem(
                file,
                loc == null || loc.getLineNr() < 1 ? 1 : loc.getLineNr(),
                loc == null || loc.getColumnNr() < 1 ? 1 : loc.getColumnNr(),
                "",
                "not valid YAML: " + plain(firstLine(msg))));
        return new LocatedYaml(file, null, locations, problems);
      }
    } catch (IOException e) {
      problems.add(
          new Problem(file, 1, 1, "", "not valid YAML: " + plain(firstLine(e.getMessage()))));
      return new LocatedYaml(file, null, locations, problems);
    }
  }

  /**
   * A YAML syntax error with the parser's whole explanation ("while parsing a flow sequence at line
   * 28, column 20: expected ',' or ']', but got &lt;scalar&gt;"), located at the problem; null when
   * {@code e} carries no YAML mark.
   */
  static Problem markedProblem(String file, Throwable e) {
    Throwable c = e;
    while (c != null && !(c instanceof org.yaml.snakeyaml.error.MarkedYAMLException)) {
      c = c.getCause();
    }
    if (!(c instanceof org.yaml.snakeyaml.error.MarkedYAMLException m) || m.getProblem() == null) {
      return null;
    }
    StringBuilder msg = new StringBuilder("not valid YAML: ");
    if (m.getContext() != null) {
      msg.append(m.getContext());
      if (m.getContextMark() != null) {
        msg.append(" at line ")
            .append(m.getContextMark().getLine() + 1)
            .append(", column ")
            .append(m.getContextMark().getColumn() + 1);
      }
      msg.append(": ");
    }
    msg.append(m.getProblem());
    var mark = m.getProblemMark();
    return new Problem(
        file,
        mark == null ? 1 : mark.getLine() + 1,
        mark == null ? 1 : mark.getColumn() + 1,
        "",
        msg.toString());
  }

  /** A parser message without library names: nesting limits read as such. */
  private static String plain(String msg) {
    if (msg != null && msg.contains("Nesting depth")) {
      int i = msg.indexOf("exceeds the maximum allowed");
      String max = i < 0 ? "" : msg.substring(i).replaceAll("[^0-9]", "");
      return "nested deeper than " + (max.isEmpty() ? "allowed" : max) + " levels";
    }
    return msg == null ? "" : msg.replaceAll("\\(?:StreamReadConstraints[^)]*\\)", "").trim();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static JsonNode read(
      JsonParser p, String path, Map<String, int[]> locs, List<Problem> problems, String file)
      throws IOException {
    JsonLocation l = p.currentTokenLocation();
    locs.put(path, new int[] {l.getLineNr(), l.getColumnNr()});
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        ObjectNode o = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonLocation kl = p.currentTokenLocation();
          String child = path + "/" + escape(name);
          p.nextToken();
          JsonNode value = read(p, child, locs, problems, file);
          if (o.has(name)) {
            problems.add(
                new Problem(
                    file,
                    kl.getLineNr(),
                    kl.getColumnNr(),
                    child,
                    "duplicate key '" + name + "'; each key may appear once"));
          }
          o.set(name, value);
          locs.put(child + "#key", new int[] {kl.getLineNr(), kl.getColumnNr()});
        }
        return o;
      }
      case START_ARRAY -> {
        ArrayNode a = NODES.arrayNode();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          a.add(read(p, path + "/" + i++, locs, problems, file));
        }
        return a;
      }
      case VALUE_STRING -> {
        return NODES.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return NODES.numberNode(p.getLongValue());
      }
      case VALUE_NUMBER_FLOAT -> {
        return NODES.numberNode(p.getDecimalValue());
      }
      case VALUE_TRUE -> {
        return NODES.booleanNode(true);
      }
      case VALUE_FALSE -> {
        return NODES.booleanNode(false);
      }
      case VALUE_NULL -> {
        return NODES.nullNode();
      }
      default -> throw new IOException("unexpected token " + t);
    }
  }

  static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }

  /**
   * A problem at {@code path}: the line of its key (or of the node itself in a list), else its
   * nearest ancestor's.
   */
  Problem problem(String path, String message) {
    String p = path;
    while (true) {
      int[] loc = locations.get(p + "#key");
      if (loc == null) {
        loc = locations.get(p);
      }
      if (loc != null) {
        return new Problem(file, loc[0], loc[1], path, message);
      }
      if (p.isEmpty()) {
        return new Problem(file, 1, 1, path, message);
      }
      p = p.substring(0, p.lastIndexOf('/'));
    }
  }

  /**
   * Like {@link #problem} but pointing at the key of an object member, for unknown or misplaced
   * keys.
   */
  Problem keyProblem(String path, String message) {
    int[] loc = locations.get(path + "#key");
    return loc != null ? new Problem(file, loc[0], loc[1], path, message) : problem(path, message);
  }

  String file() {
    return file;
  }
}
