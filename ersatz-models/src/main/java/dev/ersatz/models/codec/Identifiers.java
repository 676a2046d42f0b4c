package dev.ersatz.models.codec;

import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.table.ColumnData;

/**
 * Regenerates the columns that are never learned: identifiers in the input's shape (unique
 * within one output), and free text (written as missing).
 */
final class Identifiers {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Identifiers() {}

  static ColumnData generate(ColumnType type, int rows, long firstRow, RandomSource rng) {
    String[] out = new String[rows];
    if (type instanceof ColumnType.Identifier id) {
      String shape = id.shape();
      for (int r = 0; r < rows; r++) {
        long index = firstRow + r;
        if (shape.equals("sequence")) {
          out[r] = Long.toString(id.start() + index);
        } else if (shape.equals("uuid")) {
          out[r] = uuid(rng);
        } else {
          out[r] = template(shape, index, rng);
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
    int n = shape.length();
    char[] kind = new char[n];
    char[] out = new char[n];
    int len = 0;
    for (int i = 0; i < n; i++) {
      char c = shape.charAt(i);
      if (c == '\\' && i + 1 < n) {
        kind[len] = 'L';
        out[len++] = shape.charAt(++i);
      } else {
        kind[len] = c == '9' || c == 'A' || c == 'a' ? c : 'L';
        out[len++] = c;
      }
    }
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
