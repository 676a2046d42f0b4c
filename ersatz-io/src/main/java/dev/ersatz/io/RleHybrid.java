package dev.ersatz.io;

/**
 * Parquet's RLE / bit-packing hybrid encoding of small unsigned integers (definition levels and
 * dictionary indices), and the LSB-first bit-packing that PLAIN booleans share with it.
 *
 * <p>Format (Apache Parquet, {@code Encodings.md}, "Run Length Encoding / Bit-Packing Hybrid"):
 * a sequence of runs; an RLE run is the varint {@code count << 1} followed by the repeated value
 * in {@code ceil(bitWidth / 8)} little-endian bytes; a bit-packed run is the varint
 * {@code (groups << 1) | 1} followed by {@code groups} groups of 8 values, each packed into
 * {@code bitWidth} bytes from the least significant bit of each byte on. Only the last group of
 * the data may hold fewer than 8 real values; it is padded with zeros (readers stop after the
 * number of values the page declares). The 4-byte length prefix that data pages put before
 * definition levels is the caller's job.
 *
 * <p>The encoder is greedy: a value repeated at least 8 times becomes an RLE run, everything
 * else is bit-packed, so the output is never more than one header byte per 8 values larger than
 * plain bit-packing.
 */
final class RleHybrid {
  /** Repeats at which a run is worth an RLE run rather than bit-packing. */
  private static final int MIN_REPEAT = 8;

  private RleHybrid() {}

  /** The number of bits needed for values in {@code [0, maxValue]}; at least 1. */
  static int bitWidth(int maxValue) {
    return Math.max(1, 32 - Integer.numberOfLeadingZeros(maxValue));
  }

  /**
   * Appends {@code values[0, n)} to {@code out}.
   *
   * @param bitWidth 1 to 32; every value must fit in it (unchecked)
   */
  static void encode(int[] values, int n, int bitWidth, ByteBuf out) {
    int i = 0;
    while (i < n) {
      int run = runLength(values, i, n);
      if (run >= MIN_REPEAT || i + run == n) {
        putRle(values[i], run, bitWidth, out);
        i += run;
        continue;
      }
      int start = i;
      int groups = 0;
      do {
        groups++;
        i += 8;
      } while (i < n && runLength(values, i, Math.min(n, i + MIN_REPEAT)) < MIN_REPEAT);
      putVarint(out, ((long) groups << 1) | 1);
      packGroups(values, start, Math.min(i, n), groups, bitWidth, out);
      i = Math.min(i, n);
    }
  }

  /** Appends an RLE run of {@code count} copies of {@code value}. */
  static void putRle(int value, int count, int bitWidth, ByteBuf out) {
    putVarint(out, (long) count << 1);
    int bytes = (bitWidth + 7) >>> 3;
    out.ensure(bytes);
    for (int b = 0; b < bytes; b++) {
      out.buf[out.len++] = (byte) (value >>> (8 * b));
    }
  }

  /** How many values from {@code from} (below {@code end}) equal {@code values[from]}. */
  private static int runLength(int[] values, int from, int end) {
    int v = values[from];
    int j = from + 1;
    while (j < end && values[j] == v) {
      j++;
    }
    return j - from;
  }

  /**
   * Bit-packs {@code values[from, to)} as {@code groups} groups of 8, zero-padded past
   * {@code to}, without a run header.
   */
  static void packGroups(int[] values, int from, int to, int groups, int bitWidth, ByteBuf out) {
    out.ensure(groups * bitWidth);
    byte[] buf = out.buf;
    int at = out.len;
    long acc = 0;
    int bits = 0;
    int end = from + groups * 8;
    if (end <= to) {
      for (int i = from; i < end; i++) {
        acc |= (values[i] & 0xFFFFFFFFL) << bits;
        bits += bitWidth;
        while (bits >= 8) {
          buf[at++] = (byte) acc;
          acc >>>= 8;
          bits -= 8;
        }
      }
    } else {
      for (int i = from; i < end; i++) {
        long v = i < to ? values[i] & 0xFFFFFFFFL : 0;
        acc |= v << bits;
        bits += bitWidth;
        while (bits >= 8) {
          buf[at++] = (byte) acc;
          acc >>>= 8;
          bits -= 8;
        }
      }
    }
    out.len = at;
  }

  /**
   * Appends {@code bits[0, n)} (0 or 1 each) packed 8 to a byte, least significant bit first,
   * zero-padded to whole bytes: the PLAIN encoding of BOOLEAN values.
   */
  static void packBooleans(byte[] bits, int n, ByteBuf out) {
    int bytes = (n + 7) >>> 3;
    out.ensure(bytes);
    byte[] buf = out.buf;
    int at = out.len;
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      buf[at++] = (byte) (bits[i] | bits[i + 1] << 1 | bits[i + 2] << 2 | bits[i + 3] << 3
          | bits[i + 4] << 4 | bits[i + 5] << 5 | bits[i + 6] << 6 | bits[i + 7] << 7);
    }
    if (i < n) {
      int b = 0;
      for (int k = 0; i + k < n; k++) {
        b |= bits[i + k] << k;
      }
      buf[at++] = (byte) b;
    }
    out.len = at;
  }

  static void putVarint(ByteBuf out, long v) {
    out.ensure(10);
    while ((v & ~0x7FL) != 0) {
      out.buf[out.len++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.buf[out.len++] = (byte) v;
  }
}
