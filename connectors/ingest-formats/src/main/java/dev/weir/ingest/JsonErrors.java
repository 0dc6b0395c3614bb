package dev.weir.ingest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Turns a JSON parser's failure into a message for the client: what is wrong and where (line,
 * column), without the parser's class, setting or feature names. Stateless.
 */
public final class JsonErrors {
  private static final Pattern SOURCE =
      Pattern.compile("\\s*\\(?(start marker )?at \\[Source:.*?]\\)?", Pattern.DOTALL);

  /** A parenthesised or trailing hint that names library settings in backquotes. */
  private static final Pattern LIBRARY_HINT = Pattern.compile("\\s*[(,;][^(),;]*`[^`]*`[^()]*\\)?");

  private JsonErrors() {}

  /**
   * @param limits the limits the parser ran under, named in the message when one was hit
   */
  public static String describe(IOException e, StreamReadConstraints limits) {
    String raw = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    String what;
    if (raw == null) {
      what = "unreadable";
    } else if (raw.contains("nesting depth")) {
      what = "nested deeper than " + limits.getMaxNestingDepth() + " levels";
    } else if (raw.startsWith("Number value length")) {
      what = "a number has more than " + limits.getMaxNumberLength() + " digits";
    } else if (raw.startsWith("String value length")) {
      what = "a string is longer than " + limits.getMaxStringLength() + " characters";
    } else {
      String m = SOURCE.matcher(raw).replaceAll("");
      m = LIBRARY_HINT.matcher(m).replaceAll("");
      int nl = m.indexOf('\n');
      what = (nl < 0 ? m : m.substring(0, nl)).replace("`", "").trim();
      if (what.isEmpty()) {
        what = "unreadable";
      }
    }
    if (e instanceof JsonProcessingException j && j.getLocation() != null) {
      JsonLocation at = j.getLocation();
      if (at.getLineNr() > 0) {
        what += " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      }
    }
    return what;
  }
}
