package dev.weir.definitions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import dev.weir.runtime.Suggestions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks a YAML config file's structure against a JSON Schema (draft 2020-12) and reports each
 * problem at its file, line, column and JSON pointer; an unknown key names the keys allowed there
 * and the closest one ("did you mean"). The one structural checker behind definition files and the
 * workspace file. Immutable and thread-safe.
 */
public final class YamlSchemaCheck {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final JsonNode schemaNode;
  private final Schema schema;

  private YamlSchemaCheck(JsonNode schemaNode) {
    this.schemaNode = schemaNode;
    this.schema =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schemaNode);
  }

  /** The schema packaged next to {@code owner} as {@code resource}; fails if it is missing. */
  public static YamlSchemaCheck fromResource(Class<?> owner, String resource) {
    try (InputStream in = owner.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the classpath");
      }
      return new YamlSchemaCheck(JSON.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses {@code text} (named {@code file} in problems) and checks it against the schema. */
  public Checked check(String file, String text) {
    LocatedYaml doc = LocatedYaml.parse(file, text);
    if (doc.empty) {
      // nothing but comments: an empty mapping, so that the schema says what it needs
      doc = LocatedYaml.parse(file, "{}");
    }
    List<Problem> problems = new ArrayList<>(doc.problems);
    if (doc.root != null) {
      problems.addAll(validate(doc));
    }
    return new Checked(doc, List.copyOf(problems));
  }

  /**
   * A parsed file: its tree (null when it is not valid YAML), its structural problems, and where
   * any node sits, for the checks that come after the schema.
   */
  public static final class Checked {
    private final LocatedYaml doc;
    private final List<Problem> problems;

    private Checked(LocatedYaml doc, List<Problem> problems) {
      this.doc = doc;
      this.problems = problems;
    }

    /** The document, or null when it could not be parsed. */
    public JsonNode root() {
      return doc.root;
    }

    /** Syntax and schema problems, in document order of discovery. */
    public List<Problem> problems() {
      return problems;
    }

    /** A problem located at the node {@code pointer} (or its nearest ancestor that exists). */
    public Problem at(String pointer, String message) {
      return doc.problem(pointer, message);
    }
  }

  List<Problem> validate(LocatedYaml doc) {
    List<Problem> out = new ArrayList<>();
    Set<String> alternativesReported = new HashSet<>();
    for (Error e : schema.validate(doc.root)) {
      String title = alternativesTitle(e);
      if (title == null) {
        out.add(problem(doc, e));
      } else if (alternativesReported.add(pointer(e.getInstanceLocation()))) {
        // one problem for a value that matches none of the alternatives, not one per alternative
        out.add(
            doc.problem(
                pointer(e.getInstanceLocation()),
                "must be " + title + ", not " + kind(e.getInstanceNode())));
      }
    }
    return out;
  }

  /**
   * The {@code title} of the {@code anyOf} that {@code e} failed inside, when that schema object
   * has one: such a value is reported once, as "must be (title)".
   */
  private String alternativesTitle(Error e) {
    String frag = fragment(e);
    int any = frag.lastIndexOf("/anyOf/");
    if (any < 0) {
      return null;
    }
    JsonNode title = schemaNode.at(frag.substring(0, any)).path("title");
    return title.isTextual() ? title.textValue() : null;
  }

  private static String fragment(Error e) {
    String loc = String.valueOf(e.getSchemaLocation());
    int hash = loc.indexOf('#');
    return hash < 0 ? "" : loc.substring(hash + 1);
  }

  private Problem problem(LocatedYaml doc, Error e) {
    String at = pointer(e.getInstanceLocation());
    String msg = e.getMessage();
    int colon = msg.indexOf(": ");
    if (msg.startsWith("$") && colon > 0) {
      msg = msg.substring(colon + 2);
    }
    String kw = e.getKeyword();
    if ("additionalProperties".equals(kw) && e.getProperty() != null) {
      String child = at + "/" + LocatedYaml.escape(e.getProperty());
      List<String> names = allowedNames(e);
      if (String.valueOf(e.getSchemaLocation()).endsWith("/then/additionalProperties")
          && e.getInstanceNode() != null
          && e.getInstanceNode().path("kind").isTextual()) {
        // a key of another auth kind: it would do nothing here, so it is refused
        String kind = e.getInstanceNode().path("kind").asText();
        return doc.keyProblem(
            child,
            "key '"
                + e.getProperty()
                + "' does nothing under kind: "
                + kind
                + allowed(names).replace("expected one of", kind + " takes"));
      }
      String close = Suggestions.closest(e.getProperty(), names);
      return doc.keyProblem(
          child,
          "unknown key '"
              + e.getProperty()
              + "'"
              + allowed(names)
              + (close == null ? "" : "; did you mean '" + close + "'?"));
    }
    if ("required".equals(kw) && e.getProperty() != null) {
      return doc.problem(at, "missing required key '" + e.getProperty() + "'");
    }
    if ("type".equals(kw)) {
      String expected = expectedType(e);
      if (expected != null) {
        return doc.problem(at, "must be " + expected + ", not " + kind(e.getInstanceNode()));
      }
    }
    if ("enum".equals(kw) || "const".equals(kw)) {
      return doc.problem(at, "got " + e.getInstanceNode() + "; " + msg);
    }
    return doc.problem(at, msg);
  }

  /**
   * For a type error: the {@code title} of the schema object, or its types in words when they
   * include null (an absent value); null to keep the validator's message.
   */
  private String expectedType(Error e) {
    String frag = fragment(e);
    if (!frag.endsWith("/type")) {
      return null;
    }
    JsonNode holder = schemaNode.at(frag.substring(0, frag.length() - "/type".length()));
    if (holder.path("title").isTextual() && !frag.equals("/type")) {
      return holder.path("title").textValue();
    }
    JsonNode types = holder.path("type");
    List<String> words = new ArrayList<>();
    boolean nullable = false;
    for (JsonNode t : types) {
      switch (t.asText()) {
        case "null" -> nullable = true;
        case "object" -> words.add("a mapping");
        case "array" -> words.add("a list");
        case "integer" -> words.add("an integer");
        default -> words.add("a " + t.asText());
      }
    }
    if (!nullable || words.isEmpty()) {
      return null;
    }
    String last = words.remove(words.size() - 1);
    return words.isEmpty() ? last : String.join(", ", words) + " or " + last;
  }

  /** A value's kind in words, for messages. */
  static String kind(JsonNode v) {
    if (v == null || v.isNull()) {
      return "null";
    }
    if (v.isObject()) {
      return "a mapping";
    }
    if (v.isArray()) {
      return "a list";
    }
    if (v.isTextual()) {
      return "a string";
    }
    if (v.isBoolean()) {
      return "a boolean";
    }
    return v.isNumber() ? "a number" : v.getNodeType().toString().toLowerCase(Locale.ROOT);
  }

  private static String allowed(List<String> names) {
    return names.isEmpty()
        ? "; unknown keys are errors"
        : "; expected one of: " + String.join(", ", names);
  }

  /** The keys of the schema object that rejected a key, when it can be found. */
  private List<String> allowedNames(Error e) {
    List<String> names = new ArrayList<>();
    try {
      String loc = String.valueOf(e.getSchemaLocation());
      int hash = loc.indexOf('#');
      String frag = hash < 0 ? "" : loc.substring(hash + 1);
      if (frag.endsWith("/additionalProperties")) {
        frag = frag.substring(0, frag.length() - "/additionalProperties".length());
      }
      JsonNode props = schemaNode.at(frag).path("properties");
      if (props.isObject()) {
        props.fieldNames().forEachRemaining(names::add);
      }
    } catch (RuntimeException ignored) {
      // no names: the generic hint
    }
    return names;
  }

  static String pointer(NodePath p) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < p.getNameCount(); i++) {
      Object el = p.getElement(i);
      b.append('/')
          .append(el instanceof Integer ? el.toString() : LocatedYaml.escape(String.valueOf(el)));
    }
    return b.toString();
  }
}
