package dev.ersatz.models;

import dev.ersatz.core.UserInputException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads generator options given as text ({@code key=value}), rejecting unknown keys. */
public final class Options {
  private final String generator;
  private final Map<String, String> values;

  public Options(String generator, Map<String, String> values, Set<String> known) {
    this.generator = generator;
    this.values = Map.copyOf(values);
    TreeSet<String> unknown = new TreeSet<>(values.keySet());
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      throw new UserInputException("generator '" + generator + "' has no option(s) " + unknown
          + "; its options are " + new TreeSet<>(known));
    }
  }

  public int integer(String key, int dflt, int min, int max) {
    String v = values.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      int x = Integer.parseInt(v.trim());
      if (x < min || x > max) {
        throw new UserInputException("option " + key + " of generator '" + generator
            + "' must be in [" + min + ", " + max + "] but was " + x);
      }
      return x;
    } catch (NumberFormatException e) {
      throw new UserInputException("option " + key + " of generator '" + generator
          + "' must be an integer but was '" + v + "'");
    }
  }

  public double number(String key, double dflt, double min, double max) {
    String v = values.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      double x = Double.parseDouble(v.trim());
      if (!(x >= min && x <= max)) {
        throw new UserInputException("option " + key + " of generator '" + generator
            + "' must be in [" + min + ", " + max + "] but was " + x);
      }
      return x;
    } catch (NumberFormatException e) {
      throw new UserInputException("option " + key + " of generator '" + generator
          + "' must be a number but was '" + v + "'");
    }
  }

  /** The option's text, trimmed, or {@code dflt} when it is not given. */
  public String text(String key, String dflt) {
    String v = values.get(key);
    return v == null ? dflt : v.trim();
  }

  public boolean has(String key) {
    return values.containsKey(key);
  }
}
