package dev.ersatz.io;

import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.util.List;

/**
 * How the text sinks ({@link CsvSink}, {@link JsonSink}) write each column of a schema: its
 * kind of cell and what formatting it needs, decided once per sink; and a batch's columns
 * unpacked into plain arrays for the writing loop.
 */
final class CellLayout {
  static final int K_INT = 0;
  static final int K_DEC = 1;
  static final int K_DATE = 2;
  static final int K_CODES = 3;
  static final int K_STR = 4;
  /** A number with a prefix, a suffix or grouped thousands ({@code $1,234.50}). */
  static final int K_FMT = 5;

  final Schema schema;
  final int[] kinds;
  final int[] scales;
  final boolean[] fixed;
  /** Per column, its number type when it is formatted (K_FMT), else null. */
  final ColumnType.Numeric[] formats;
  final DatePattern[] patterns;

  CellLayout(Schema schema) {
    this.schema = schema;
    int n = schema.size();
    kinds = new int[n];
    scales = new int[n];
    fixed = new boolean[n];
    formats = new ColumnType.Numeric[n];
    patterns = new DatePattern[n];
    for (int c = 0; c < n; c++) {
      ColumnType t = schema.column(c).type();
      if (t instanceof ColumnType.Numeric num) {
        kinds[c] = num.formatted() ? K_FMT : num.integer() ? K_INT : K_DEC;
        scales[c] = num.scale();
        fixed[c] = num.fixedScale();
        formats[c] = num;
      } else if (t instanceof ColumnType.Datetime dt) {
        kinds[c] = K_DATE;
        patterns[c] = TypeInference.compiled(dt.pattern());
      } else if (t instanceof ColumnType.Categorical || t instanceof ColumnType.Bool) {
        kinds[c] = K_CODES;
      } else {
        kinds[c] = K_STR;
      }
    }
  }

  /** A batch's columns as arrays: numbers, codes with their labels, or strings, by kind. */
  static final class Unpacked {
    final double[][] nums;
    final int[][] codes;
    final ColumnData.Strings[] strs;
    /** Each coded column's levels as the sink writes them ({@code labels} of {@link #unpack}). */
    final byte[][][] labels;

    private Unpacked(int n) {
      nums = new double[n][];
      codes = new int[n][];
      strs = new ColumnData.Strings[n];
      labels = new byte[n][][];
    }
  }

  /** How a sink writes a coded column's levels: column index and levels to bytes per level. */
  interface Labels {
    byte[][] of(int column, List<String> levels);
  }

  /**
   * Unpacks {@code batch}, each coded column's levels written by {@code labels}.
   *
   * @throws IllegalArgumentException when its schema is not the layout's
   */
  Unpacked unpack(Table batch, Labels labels) {
    if (!batch.schema().equals(schema)) {
      throw new IllegalArgumentException("batch schema " + batch.schema().names()
          + " differs from the sink's " + schema.names());
    }
    Unpacked u = new Unpacked(kinds.length);
    for (int c = 0; c < kinds.length; c++) {
      ColumnData d = batch.column(c);
      if (kinds[c] == K_CODES) {
        ColumnData.Codes cd = (ColumnData.Codes) d;
        u.codes[c] = cd.toArray();
        u.labels[c] = labels.of(c, cd.levels());
      } else if (kinds[c] == K_STR) {
        u.strs[c] = (ColumnData.Strings) d;
      } else {
        u.nums[c] = ((ColumnData.Numbers) d).toArray();
      }
    }
    return u;
  }
}
