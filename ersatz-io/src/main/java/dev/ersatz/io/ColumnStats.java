package dev.ersatz.io;

import java.util.Arrays;

/**
 * Null count and value range of a Parquet page or column chunk, merged page by page into the
 * chunk's statistics. Which range fields are used depends on the column's {@link
 * ParquetColumn.Kind}: {@code min}/{@code max} for INT32, INT64 and BOOLEAN (0/1), {@code
 * dmin}/{@code dmax} for DOUBLE, {@code bmin}/{@code bmax} (unsigned byte order) for PLAIN
 * strings, and the bit set {@code used} of dictionary indices for categorical columns. A range
 * is empty (min above max, or null arrays) when every value is null.
 */
final class ColumnStats {
  long nulls;
  long min = Long.MAX_VALUE;
  long max = Long.MIN_VALUE;
  double dmin = Double.POSITIVE_INFINITY;
  double dmax = Double.NEGATIVE_INFINITY;
  byte[] bmin;
  byte[] bmax;
  long[] used;

  /** Adds {@code o} to this (associative and commutative). */
  void merge(ColumnStats o) {
    nulls += o.nulls;
    min = Math.min(min, o.min);
    max = Math.max(max, o.max);
    dmin = Math.min(dmin, o.dmin);
    dmax = Math.max(dmax, o.dmax);
    if (o.bmin != null && (bmin == null || Arrays.compareUnsigned(o.bmin, bmin) < 0)) {
      bmin = o.bmin;
    }
    if (o.bmax != null && (bmax == null || Arrays.compareUnsigned(o.bmax, bmax) > 0)) {
      bmax = o.bmax;
    }
    if (o.used != null) {
      if (used == null) {
        used = o.used.clone();
      } else {
        if (used.length < o.used.length) {
          used = Arrays.copyOf(used, o.used.length);
        }
        for (int i = 0; i < o.used.length; i++) {
          used[i] |= o.used[i];
        }
      }
    }
  }
}
