package dev.ersatz.io;

import java.util.List;

/**
 * A column's domain as declared in the metadata file: <em>public</em> knowledge about the
 * column (a data dictionary, a standard code list), never read from the data. Differentially
 * private generators use it instead of spending budget to find the domain; the others ignore it.
 *
 * @param min the smallest possible value of a numeric column, or of a date/datetime column in
 *     seconds since 1970-01-01T00:00:00 UTC; {@code NaN} when not declared
 * @param max the largest possible value, in the same unit; {@code NaN} when not declared
 * @param values every possible value of a categorical column; empty when not declared
 */
public record PublicDomain(double min, double max, List<String> values) {
  public PublicDomain {
    values = List.copyOf(values);
  }

  /** Whether a numeric range is declared. */
  public boolean hasRange() {
    return !Double.isNaN(min);
  }

  /** Whether a category list is declared. */
  public boolean hasValues() {
    return !values.isEmpty();
  }
}
