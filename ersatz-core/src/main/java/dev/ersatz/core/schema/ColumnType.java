package dev.ersatz.core.schema;

import java.util.Objects;

/**
 * What a column holds, and how its values are written back out so that synthetic output has
 * the same format as the input. A closed set.
 */
public sealed interface ColumnType {

  /** A short lower-case name used in metadata files and reports. */
  String kind();

  /** Whether generators learn this column (identifiers and free text are not learned). */
  default boolean modelled() {
    return true;
  }

  /**
   * Numbers. {@code integer} columns print without a decimal point; decimals print with
   * {@code scale} digits after the point, trailing zeros stripped unless {@code fixedScale}.
   * A formatted column writes {@code prefix} before the digits (after a minus sign) and
   * {@code suffix} after them, and with {@code grouping} a comma between thousands: {@code
   * $1,234.50}, {@code 45%}.
   */
  record Numeric(boolean integer, int scale, boolean fixedScale, String prefix, String suffix,
      boolean grouping) implements ColumnType {
    /**
     * The most digits after the point a decimal column keeps: 17, the significant digits a
     * double holds, so that a value written with all of them (as Python and R write computed
     * ratios, or float32 values widened to double) prints back as it was read.
     */
    public static final int MAX_SCALE = 17;

    public Numeric {
      if (scale < 0 || scale > MAX_SCALE) {
        throw new IllegalArgumentException("scale must be in [0, " + MAX_SCALE + "] but was "
            + scale);
      }
      if (integer && scale != 0) {
        throw new IllegalArgumentException("an integer column has scale 0 but was " + scale);
      }
      Objects.requireNonNull(prefix, "prefix");
      Objects.requireNonNull(suffix, "suffix");
    }

    public Numeric(boolean integer, int scale, boolean fixedScale) {
      this(integer, scale, fixedScale, "", "", false);
    }

    /** Whether the column writes a prefix, a suffix or grouped thousands. */
    public boolean formatted() {
      return !prefix.isEmpty() || !suffix.isEmpty() || grouping;
    }

    /** This type with the given number format. */
    public Numeric withFormat(String pre, String suf, boolean group) {
      return new Numeric(integer, scale, fixedScale, pre, suf, group);
    }

    public static Numeric ofInteger() {
      return new Numeric(true, 0, false);
    }

    public static Numeric ofDecimal(int scale, boolean fixedScale) {
      return new Numeric(false, scale, fixedScale);
    }

    @Override
    public String kind() {
      return integer ? "integer" : "decimal";
    }
  }

  /** Unordered labels, kept as the exact strings of the input. */
  record Categorical() implements ColumnType {
    @Override
    public String kind() {
      return "categorical";
    }
  }

  /** Two values, written with the input's own spelling ("true"/"false", "Y"/"N", "1"/"0"...). */
  record Bool(String trueToken, String falseToken) implements ColumnType {
    public Bool {
      Objects.requireNonNull(trueToken, "trueToken");
      Objects.requireNonNull(falseToken, "falseToken");
    }

    @Override
    public String kind() {
      return "boolean";
    }
  }

  /**
   * Points in time held as epoch seconds (UTC, no zone conversion). {@code pattern} is a
   * {@link java.time.format.DateTimeFormatter} pattern with English month and day names. A
   * pattern with no date fields ({@code HH:mm}) is a time of day: the seconds since midnight of
   * 1970-01-01, in {@code [0, 86400)} (see {@link #timeOnly()}).
   */
  record Datetime(String pattern, boolean dateOnly) implements ColumnType {
    public Datetime {
      Objects.requireNonNull(pattern, "pattern");
    }

    @Override
    public String kind() {
      return dateOnly ? "date" : "datetime";
    }

    /**
     * Whether the pattern holds no date field (year, month, day, weekday, era, week or
     * quarter; quoted text aside): the column is a time of day, held as seconds since midnight.
     */
    public boolean timeOnly() {
      return !dateOnly && timeOnly(pattern);
    }

    /** Whether a date-time pattern has no unquoted date letter. */
    public static boolean timeOnly(String pattern) {
      return !hasUnquoted(pattern, "GuyDMLdQqYwWEecFg");
    }

    /** Whether a date-time pattern holds one of {@code letters} outside quoted text. */
    public static boolean hasUnquoted(String pattern, String letters) {
      boolean quoted = false;
      for (int i = 0; i < pattern.length(); i++) {
        char c = pattern.charAt(i);
        if (c == '\'') {
          quoted = !quoted;
        } else if (!quoted && letters.indexOf(c) >= 0) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Unique keys. Never learned: regenerated in the same shape. {@code shape} is
   * {@code "sequence"} (integers counting up from {@code start}), {@code "uuid"}, or a template
   * where {@code A} is an upper-case letter, {@code a} a lower-case one, {@code 9} a digit, and
   * anything else a literal.
   */
  record Identifier(String shape, long start) implements ColumnType {
    public Identifier {
      Objects.requireNonNull(shape, "shape");
    }

    @Override
    public String kind() {
      return "identifier";
    }

    @Override
    public boolean modelled() {
      return false;
    }
  }

  /** Free text: flagged, kept out of the model, written as missing values. */
  record Text() implements ColumnType {
    @Override
    public String kind() {
      return "text";
    }

    @Override
    public boolean modelled() {
      return false;
    }
  }
}
