package dev.ersatz.models.codec;

import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.table.ColumnData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Regenerates the columns that are never learned: identifiers in the input's shape (unique
 * within one output), and free text (written as missing).
 */
final class Identifiers {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Identifiers() {}

  /**
   * Where integer keys lie: the {@code i}-th output row gets {@code first + round(i * step)}.
   * Fitted from the real keys, so that synthetic keys cover the same range at the same density
   * (a table whose patient numbers run from 1,000 to 9,000 does not get 1 to 800): {@code first}
   * is the k-th smallest real key and {@code step} the mean gap between the real keys from
   * there to the k-th largest, at least 1 (so keys stay unique). The ends are k-th order
   * statistics, as a numeric column's bounds are, so no single row's key is released. A
   * template's digits wrap (its keys are counted modulo {@code 10^d} for {@code d} digit
   * positions), so its step is the whole number nearest the mean gap that shares no factor with
   * 10: then {@code first + i * step} modulo {@code 10^d} is a different key for every {@code i}
   * below {@code 10^d}, as counting in steps of one would be, while the keys still spread over
   * the real range (zip codes 00501-99950 over 33,000 rows are not 00603-34241).
   */
  record Span(long first, double step) {
    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("first", first);
      m.put("step", step);
      return m;
    }

    /**
     * The span of an identifier column's real values, or null when it has none: a UUID, a
     * {@code sequence} with a declared start other than 1 (kept as declared), a key that is not
     * a whole number (for a template: whose digit positions do not read as one), or fewer than
     * {@code 2k + 2} keys. A template's keys are the numbers its digit positions spell
     * ({@code P100427} in {@code P999999} is 100427), so that patient numbers P100000-P107000
     * do not come out as P000000 onwards.
     */
    static Span fit(ColumnType type, ColumnData data, int k) {
      if (!(type instanceof ColumnType.Identifier id) || id.shape().equals("uuid")
          || id.start() != 1 || !(data instanceof ColumnData.Strings s)) {
        return null;
      }
      boolean sequence = id.shape().equals("sequence");
      char[] kinds = sequence ? null : Expanded.of(id.shape()).kind();
      List<Long> keys = new ArrayList<>();
      for (int r = 0; r < s.size(); r++) {
        String v = s.get(r);
        if (v == null) {
          continue;
        }
        Long key = sequence ? parse(v.trim()) : digits(kinds, v);
        if (key == null) {
          return null;
        }
        keys.add(key);
      }
      int n = keys.size();
      if (n < 2 * k + 2) {
        return null;
      }
      Collections.sort(keys);
      long lo = keys.get(k - 1);
      long hi = keys.get(n - k);
      int inside = n - 2 * (k - 1);
      double gap = Math.max(1, (hi - lo) / (double) (inside - 1));
      if (sequence) {
        return new Span(lo, gap);
      }
      int digitPositions = 0;
      for (char c : kinds) {
        digitPositions += c == '9' ? 1 : 0;
      }
      return new Span(lo, coprimeStep(gap, digitPositions));
    }

    /**
     * The whole number nearest {@code gap} (at least 1, below {@code 10^digits}) that is odd
     * and not a multiple of 5, so that its multiples modulo {@code 10^digits} run through every
     * residue before one repeats.
     */
    static long coprimeStep(double gap, int digits) {
      long m = 1;
      for (int i = 0; i < Math.min(digits, 18); i++) {
        m *= 10;
      }
      long g = Math.min(Math.max(1, Math.round(gap)), Math.max(1, m - 1));
      for (long d = 0; ; d++) {
        if (g - d >= 1 && (g - d) % 2 != 0 && (g - d) % 5 != 0) {
          return g - d;
        }
        if (g + d < m && (g + d) % 2 != 0 && (g + d) % 5 != 0) {
          return g + d;
        }
      }
    }
  }

  private static Long parse(String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The number a value's digit positions spell under a template, or null. */
  private static Long digits(char[] kinds, String v) {
    if (v.length() != kinds.length) {
      return null;
    }
    long x = 0;
    int count = 0;
    for (int i = 0; i < kinds.length; i++) {
      if (kinds[i] == '9') {
        char c = v.charAt(i);
        if (c < '0' || c > '9' || ++count > 18) {
          return null;
        }
        x = 10 * x + (c - '0');
      }
    }
    return count == 0 ? null : x;
  }

  /**
   * A template's output positions: what each is ({@code 9}, {@code A}, {@code a}, or {@code L}
   * for a literal; a backslash makes the next character literal) and the template's character
   * there.
   */
  private record Expanded(char[] kind, char[] literal) {
    static Expanded of(String shape) {
      int n = shape.length();
      char[] kind = new char[n];
      char[] literal = new char[n];
      int len = 0;
      for (int i = 0; i < n; i++) {
        char c = shape.charAt(i);
        if (c == '\\' && i + 1 < n) {
          kind[len] = 'L';
          literal[len++] = shape.charAt(++i);
        } else {
          kind[len] = c == '9' || c == 'A' || c == 'a' ? c : 'L';
          literal[len++] = c;
        }
      }
      return new Expanded(java.util.Arrays.copyOf(kind, len),
          java.util.Arrays.copyOf(literal, len));
    }
  }

  static ColumnData generate(ColumnType type, int rows, long firstRow, RandomSource rng,
      Span span) {
    String[] out = new String[rows];
    if (type instanceof ColumnType.Identifier id) {
      String shape = id.shape();
      for (int r = 0; r < rows; r++) {
        long index = firstRow + r;
        long key = span == null ? index : span.first() + Math.round(index * span.step());
        if (shape.equals("sequence")) {
          out[r] = Long.toString(span == null ? id.start() + index : key);
        } else if (shape.equals("uuid")) {
          out[r] = uuid(rng);
        } else {
          out[r] = template(shape, key, rng);
        }
      }
    }
    return ColumnData.Strings.adopt(out);
  }

  private static String uuid(RandomSource rng) {
    long hi = (rng.nextLong() & ~0xF000L) | 0x4000L;
    long lo = (rng.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    char[] c = new char[36];
    int at = 0;
    for (int i = 0; i < 32; i++) {
      if (i == 8 || i == 12 || i == 16 || i == 20) {
        c[at++] = '-';
      }
      long word = i < 16 ? hi : lo;
      int nib = (int) (word >>> (60 - 4 * (i % 16))) & 0xF;
      c[at++] = HEX[nib];
    }
    return new String(c);
  }

  /**
   * Fills the template's digit positions with the row index (right-aligned), so values are
   * unique while the index fits; {@code A}/{@code a} become random letters; a backslash makes
   * the next character literal.
   */
  static String template(String shape, long index, RandomSource rng) {
    Expanded e = Expanded.of(shape);
    char[] kind = e.kind();
    char[] out = e.literal();
    int len = out.length;
    long rest = index;
    for (int i = len - 1; i >= 0; i--) {
      if (kind[i] == '9') {
        out[i] = (char) ('0' + (rest % 10));
        rest /= 10;
      }
    }
    for (int i = 0; i < len; i++) {
      if (kind[i] == 'A') {
        out[i] = (char) ('A' + rng.nextInt(26));
      } else if (kind[i] == 'a') {
        out[i] = (char) ('a' + rng.nextInt(26));
      }
    }
    return new String(out, 0, len);
  }
}
