package dev.ersatz.core.table;

import java.util.Arrays;
import java.util.List;

/**
 * The values of one column, stored by what they are. A closed set:
 * <ul>
 *   <li>{@link Numbers}: numeric and datetime columns (epoch seconds); {@code NaN} is missing;
 *   <li>{@link Codes}: categorical and boolean columns as codes into a list of levels; -1 is
 *       missing;
 *   <li>{@link Strings}: identifiers and free text; {@code null} is missing.
 * </ul>
 * Instances own their arrays and never hand them out; hot loops use the indexed accessors.
 */
public sealed interface ColumnData {

  int size();

  boolean isMissing(int row);

  /** Numbers; {@code NaN} marks a missing value. */
  final class Numbers implements ColumnData {
    private final double[] values;

    private Numbers(double[] values) {
      this.values = values;
    }

    /** Wraps {@code values} without copying; the caller must not touch the array afterwards. */
    public static Numbers adopt(double[] values) {
      return new Numbers(values);
    }

    public static Numbers copyOf(double[] values) {
      return new Numbers(values.clone());
    }

    public double get(int row) {
      return values[row];
    }

    public double[] toArray() {
      return values.clone();
    }

    @Override
    public int size() {
      return values.length;
    }

    @Override
    public boolean isMissing(int row) {
      return Double.isNaN(values[row]);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Numbers n && Arrays.equals(n.values, values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }
  }

  /** Codes into {@code levels}; -1 marks a missing value. */
  final class Codes implements ColumnData {
    private final int[] codes;
    private final List<String> levels;

    private Codes(int[] codes, List<String> levels) {
      this.codes = codes;
      this.levels = List.copyOf(levels);
    }

    /** Wraps {@code codes} without copying; the caller must not touch the array afterwards. */
    public static Codes adopt(int[] codes, List<String> levels) {
      return new Codes(codes, levels);
    }

    public int code(int row) {
      return codes[row];
    }

    /** The level at {@code row}, or {@code null} when missing. */
    public String get(int row) {
      int c = codes[row];
      return c < 0 ? null : levels.get(c);
    }

    public List<String> levels() {
      return levels;
    }

    public int[] toArray() {
      return codes.clone();
    }

    @Override
    public int size() {
      return codes.length;
    }

    @Override
    public boolean isMissing(int row) {
      return codes[row] < 0;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Codes c && Arrays.equals(c.codes, codes) && c.levels.equals(levels);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(codes) * 31 + levels.hashCode();
    }
  }

  /** Plain strings; {@code null} marks a missing value. */
  final class Strings implements ColumnData {
    private final String[] values;

    private Strings(String[] values) {
      this.values = values;
    }

    public static Strings adopt(String[] values) {
      return new Strings(values);
    }

    public String get(int row) {
      return values[row];
    }

    @Override
    public int size() {
      return values.length;
    }

    @Override
    public boolean isMissing(int row) {
      return values[row] == null;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Strings s && Arrays.equals(s.values, values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }
  }
}
