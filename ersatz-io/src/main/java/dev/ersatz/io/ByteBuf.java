package dev.ersatz.io;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte array for encoding output; not thread-safe, one per encoding call. */
final class ByteBuf {
  byte[] buf;
  int len;

  ByteBuf(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  /** A buffer that writes into {@code reuse} (grown by copying when it is too small). */
  ByteBuf(byte[] reuse) {
    buf = reuse;
  }

  void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
  }

  void put(byte b) {
    ensure(1);
    buf[len++] = b;
  }

  void put(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
  }

  /** Appends ASCII text (chars below 128 only). */
  void putAscii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[len++] = (byte) s.charAt(i);
    }
  }

  void putUtf8(String s) {
    put(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Appends exactly {@code width} decimal digits of {@code v} (0 <= v), zero-padded. */
  void putDigits(long v, int width) {
    ensure(width);
    for (int i = len + width - 1; i >= len; i--) {
      buf[i] = (byte) ('0' + (v % 10));
      v /= 10;
    }
    len += width;
  }

  /** Appends {@code v} in decimal ({@code -} for negative values). */
  void putLong(long v) {
    ensure(20);
    putLongNoCheck(v);
  }

  /** {@link #putLong} when the caller has ensured 20 free bytes. */
  void putLongNoCheck(long v) {
    if (v < 0) {
      if (v == Long.MIN_VALUE) {
        putAscii("-9223372036854775808");
        return;
      }
      buf[len++] = '-';
      v = -v;
    }
    byte[] b = buf;
    int end = len + digitCount(v);
    int i = end - 1;
    while (v >= 100) {
      long q = v / 100;
      int r = (int) (v - q * 100);
      v = q;
      b[i--] = DIGIT_ONES[r];
      b[i--] = DIGIT_TENS[r];
    }
    if (v >= 10) {
      int r = (int) v;
      b[i--] = DIGIT_ONES[r];
      b[i] = DIGIT_TENS[r];
    } else {
      b[i] = (byte) ('0' + v);
    }
    len = end;
  }

  /** Appends {@code src} when the caller has ensured the room. */
  void putNoCheck(byte[] src) {
    int n = src.length;
    if (n <= 16) {
      byte[] b = buf;
      int at = len;
      for (int i = 0; i < n; i++) {
        b[at + i] = src[i];
      }
    } else {
      System.arraycopy(src, 0, buf, len, n);
    }
    len += n;
  }

  private static final long[] POW10 = new long[19];

  static {
    long p = 1;
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = p;
      p *= 10;
    }
  }

  /** Number of decimal digits of {@code v >= 0} (1 for 0). */
  static int digitCount(long v) {
    // log10 from the bit length (1233 / 4096 ~ log10(2)), corrected by one comparison
    int guess = ((64 - Long.numberOfLeadingZeros(v)) * 1233) >>> 12;
    return Math.max(1, guess + (v >= POW10[guess] ? 1 : 0));
  }

  byte[] toArray() {
    return Arrays.copyOf(buf, len);
  }

  private static final byte[] DIGIT_TENS = new byte[100];
  private static final byte[] DIGIT_ONES = new byte[100];

  static {
    for (int i = 0; i < 100; i++) {
      DIGIT_TENS[i] = (byte) ('0' + i / 10);
      DIGIT_ONES[i] = (byte) ('0' + i % 10);
    }
  }
}
