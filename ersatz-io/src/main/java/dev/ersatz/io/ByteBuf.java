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

  /** Appends {@code v} in decimal without a sign for non-negative values. */
  void putLong(long v) {
    ensure(20);
    if (v < 0) {
      if (v == Long.MIN_VALUE) {
        putAscii("-9223372036854775808");
        return;
      }
      buf[len++] = '-';
      v = -v;
    }
    int digits = digitCount(v);
    int end = len + digits;
    int i = end - 1;
    while (v >= 100) {
      int r = (int) (v % 100);
      v /= 100;
      buf[i--] = DIGIT_ONES[r];
      buf[i--] = DIGIT_TENS[r];
    }
    if (v >= 10) {
      int r = (int) v;
      buf[i--] = DIGIT_ONES[r];
      buf[i] = DIGIT_TENS[r];
    } else {
      buf[i] = (byte) ('0' + v);
    }
    len = end;
  }

  static int digitCount(long v) {
    long p = 10;
    for (int i = 1; i < 19; i++) {
      if (v < p) {
        return i;
      }
      p *= 10;
    }
    return 19;
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
