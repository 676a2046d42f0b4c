package dev.ersatz.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The RLE / bit-packing hybrid against the worked examples of Apache Parquet's
 * {@code Encodings.md}, and against a decoder written from the grammar given there.
 */
class RleHybridTest {

  private static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return out;
  }

  private static byte[] encode(int[] values, int bitWidth) {
    ByteBuf out = new ByteBuf(16);
    RleHybrid.encode(values, values.length, bitWidth, out);
    return out.toArray();
  }

  @Test
  void bitPackingOfTheSpecExample() {
    // "The numbers 1 through 7 using bit width 3 ... would be encoded like this ...
    // 10001000 11000110 11111010", after the bit-packed-run header (1 group << 1 | 1).
    assertThat(encode(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 3))
        .isEqualTo(bytes(0x03, 0b10001000, 0b11000110, 0b11111010));
  }

  @Test
  void rleRunsStoreTheCountAndTheValueInWholeBytes() {
    int[] v = new int[100];
    Arrays.fill(v, 4);
    // header varint(100 << 1) = 200 = 0xC8 0x01, then the value in ceil(3 / 8) = 1 byte
    assertThat(encode(v, 3)).isEqualTo(bytes(0xC8, 0x01, 0x04));
    Arrays.fill(v, 0x1234);
    // a 13-bit width takes 2 little-endian bytes
    assertThat(encode(v, 13)).isEqualTo(bytes(0xC8, 0x01, 0x34, 0x12));
  }

  @Test
  void aShortTailIsPaddedInTheLastGroup() {
    // 3 values, not all equal: one bit-packed group of 8, the 5 missing values zero
    assertThat(encode(new int[] {1, 0, 1}, 1)).isEqualTo(bytes(0x03, 0b00000101));
    // a short tail of equal values is an RLE run
    assertThat(encode(new int[] {1, 1, 1}, 1)).isEqualTo(bytes(0x06, 0x01));
  }

  @Test
  void mixedRunsSwitchBetweenBitPackingAndRle() {
    int[] v = new int[8 + 20];
    for (int i = 0; i < 8; i++) {
      v[i] = i % 2;
    }
    Arrays.fill(v, 8, v.length, 1);
    // 8 alternating values bit-packed (0b10101010), then an RLE run of 20 ones
    assertThat(encode(v, 1)).isEqualTo(bytes(0x03, 0b10101010, 40, 0x01));
  }

  @Test
  void plainBooleansArePackedLsbFirst() {
    ByteBuf out = new ByteBuf(4);
    RleHybrid.packBooleans(bytes(1, 0, 0, 0, 0, 0, 0, 1, 1, 1), 10, out);
    assertThat(out.toArray()).isEqualTo(bytes(0b10000001, 0b00000011));
  }

  @Test
  void bitWidths() {
    assertThat(RleHybrid.bitWidth(0)).isEqualTo(1);
    assertThat(RleHybrid.bitWidth(1)).isEqualTo(1);
    assertThat(RleHybrid.bitWidth(2)).isEqualTo(2);
    assertThat(RleHybrid.bitWidth(41)).isEqualTo(6);
    assertThat(RleHybrid.bitWidth(Integer.MAX_VALUE)).isEqualTo(31);
  }

  /** Random runs and noise at every bit width decode to the input (seeded, exact). */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 7, 8, 9, 12, 16, 17, 24, 31, 32})
  void roundTripsThroughADecoderWrittenFromTheGrammar(int bitWidth) {
    SplittableRandom rng = new SplittableRandom(bitWidth);
    long bound = bitWidth == 32 ? 1L << 32 : 1L << bitWidth;
    for (int trial = 0; trial < 200; trial++) {
      int n = rng.nextInt(0, 300);
      int[] v = new int[n];
      int i = 0;
      while (i < n) {
        int len = Math.min(n - i, rng.nextInt(1, 30));
        boolean run = rng.nextBoolean();
        int value = (int) rng.nextLong(bound);
        for (int k = 0; k < len; k++) {
          v[i + k] = run ? value : (int) rng.nextLong(bound);
        }
        i += len;
      }
      byte[] enc = encode(v, bitWidth);
      assertThat(decode(enc, bitWidth, n)).as("width %d, trial %d", bitWidth, trial)
          .isEqualTo(v);
      // never much larger than bit-packing everything: at most n / 8 + 2 runs, each with a
      // header of up to 5 bytes and, for RLE, a value of up to 4
      int runs = n / 8 + 2;
      assertThat(enc.length).isLessThanOrEqualTo((n + 7) / 8 * bitWidth + runs * 9);
    }
  }

  /**
   * Decodes {@code n} values: runs of {@code varint header}; header & 1 = bit-packed groups of 8
   * values (LSB first), else an RLE run of header >> 1 copies of a ceil(width / 8)-byte value.
   */
  static int[] decode(byte[] enc, int bitWidth, int n) {
    int[] out = new int[n];
    int at = 0;
    int pos = 0;
    while (at < n) {
      long header = 0;
      int shift = 0;
      int b;
      do {
        b = enc[pos++] & 0xFF;
        header |= (long) (b & 0x7F) << shift;
        shift += 7;
      } while ((b & 0x80) != 0);
      if ((header & 1) == 1) {
        int count = (int) (header >>> 1) * 8;
        long bitPos = (long) pos * 8;
        for (int k = 0; k < count; k++) {
          long value = 0;
          for (int bit = 0; bit < bitWidth; bit++) {
            long p = bitPos + (long) k * bitWidth + bit;
            value |= (long) ((enc[(int) (p >>> 3)] >>> (p & 7)) & 1) << bit;
          }
          if (at + k < n) {
            out[at + k] = (int) value;
          }
        }
        pos += count * bitWidth / 8;
        at += count;
      } else {
        int count = (int) (header >>> 1);
        int value = 0;
        for (int k = 0; k < (bitWidth + 7) / 8; k++) {
          value |= (enc[pos++] & 0xFF) << (8 * k);
        }
        Arrays.fill(out, at, Math.min(n, at + count), value);
        at += count;
      }
    }
    assertThat(pos).as("every byte consumed").isEqualTo(enc.length);
    return out;
  }
}
