package dev.ersatz.llm.strategy;

import dev.ersatz.core.ErsatzException;
import dev.ersatz.core.UserInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prompt templates: text files with {@code {{name}}} placeholders, built into the jar under
 * {@code dev/ersatz/llm/prompts/} and overridable by files of the same name in a folder. Every
 * template's SHA-256 goes into the lineage of the examples it produced.
 */
public final class Templates {
  private static final Pattern VAR = Pattern.compile("\\{\\{([a-zA-Z0-9_]+)}}");
  private final Path overrideDir;
  private final Map<String, String> texts = new ConcurrentHashMap<>();

  private Templates(Path overrideDir) {
    this.overrideDir = overrideDir;
  }

  /**
   * Creates a template set.
   *
   * @param overrideDir folder whose {@code <name>.txt} files override the built-in templates, or null
   * @return the set
   */
  public static Templates of(Path overrideDir) {
    return new Templates(overrideDir);
  }

  /**
   * The text of a template.
   *
   * @param name template name without {@code .txt}
   * @return its text
   * @throws UserInputException when it exists neither in the override folder nor built in
   */
  public String text(String name) {
    return texts.computeIfAbsent(name, this::load);
  }

  private String load(String name) {
    try {
      if (overrideDir != null) {
        Path p = overrideDir.resolve(name + ".txt");
        if (Files.exists(p)) {
          return Files.readString(p, StandardCharsets.UTF_8);
        }
      }
      try (InputStream in = Templates.class.getResourceAsStream("/dev/ersatz/llm/prompts/" + name + ".txt")) {
        if (in == null) {
          throw new UserInputException("prompt template '" + name + "' not found (looked in "
              + (overrideDir == null ? "" : overrideDir + " and ") + "the built-in templates)");
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UserInputException("cannot read prompt template '" + name + "': " + e.getMessage(), e);
    }
  }

  /**
   * SHA-256 of a template's text.
   *
   * @param name template name
   * @return lowercase hex
   */
  public String hash(String name) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text(name).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new ErsatzException("SHA-256 unavailable", e);
    }
  }

  /**
   * Renders a template.
   *
   * @param name template name
   * @param vars values for the placeholders
   * @return the prompt
   * @throws UserInputException when a placeholder has no value
   */
  public String render(String name, Map<String, String> vars) {
    Matcher m = VAR.matcher(text(name));
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String v = vars.get(m.group(1));
      if (v == null) {
        throw new UserInputException("prompt template '" + name + "' uses {{" + m.group(1) + "}} which this strategy does not provide");
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(v));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** @return name to hash of every template loaded so far, sorted */
  public Map<String, String> hashes() {
    Map<String, String> out = new TreeMap<>();
    for (String n : texts.keySet()) {
      out.put(n, hash(n));
    }
    return out;
  }
}
