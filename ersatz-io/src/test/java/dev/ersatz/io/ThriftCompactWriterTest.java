package dev.ersatz.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The Thrift compact protocol encoder against the worked examples and rules of Apache Thrift's
 * {@code doc/specs/thrift-compact-protocol.md}.
 */
class ThriftCompactWriterTest {

  private static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return out;
  }

  private static ThriftCompactWriter writer() {
    return new ThriftCompactWriter(new ByteBuf(16));
  }

  @Test
  void varintOfTheSpecExample() {
    // "the integer 50399 is encoded as ... 0xDF 0x89 0x03"
    ThriftCompactWriter w = writer();
    w.varint(50399);
    assertThat(w.buffer().toArray()).isEqualTo(bytes(0xDF, 0x89, 0x03));
  }

  @Test
  void zigzagOfTheSpecExample() {
    // "When we read 0, 1, 2, 3, 4 or 5 from the wire, this is translated to 0, -1, 1, -2 or 2"
    assertThat(ThriftCompactWriter.zigzag(0)).isZero();
    assertThat(ThriftCompactWriter.zigzag(-1)).isEqualTo(1);
    assertThat(ThriftCompactWriter.zigzag(1)).isEqualTo(2);
    assertThat(ThriftCompactWriter.zigzag(-2)).isEqualTo(3);
    assertThat(ThriftCompactWriter.zigzag(2)).isEqualTo(4);
    assertThat(ThriftCompactWriter.zigzag(Integer.MIN_VALUE)).isEqualTo(-1); // 0xFFFFFFFF
    assertThat(ThriftCompactWriter.zigzag(Long.MIN_VALUE)).isEqualTo(-1L);
    assertThat(ThriftCompactWriter.zigzag(Long.MAX_VALUE)).isEqualTo(-2L);
  }

  @Test
  void shortFieldHeadersCarryTheIdDeltaAndType() {
    ThriftCompactWriter w = writer();
    w.fieldI32(1, 3); // delta 1, type 5; zigzag(3) = 6
    w.fieldI64(3, -1); // delta 2, type 6; zigzag(-1) = 1
    w.fieldBool(4, true); // delta 1, type 1, no value bytes
    w.fieldBool(5, false); // delta 1, type 2
    w.fieldString(6, "ab"); // delta 1, type 8; length 2
    w.fieldI16(7, (short) 300); // delta 1, type 4; zigzag(300) = 600 = 0xD8 0x04
    w.fieldI8(8, -1); // delta 1, type 3; one raw byte
    w.finish();
    assertThat(w.buffer().toArray()).isEqualTo(bytes(
        0x15, 0x06,
        0x26, 0x01,
        0x11,
        0x12,
        0x18, 0x02, 'a', 'b',
        0x14, 0xD8, 0x04,
        0x13, 0xFF,
        0x00));
  }

  @Test
  void longFieldHeadersForDeltasBeyond15OrBackwards() {
    ThriftCompactWriter w = writer();
    w.fieldI32(16, 1); // delta 16: type byte, then zigzag(16) = 32
    w.fieldI32(2, 1); // backwards: long form, zigzag(2) = 4
    w.fieldI32(3, 1); // delta 1 again: short form
    w.finish();
    assertThat(w.buffer().toArray()).isEqualTo(bytes(
        0x05, 0x20, 0x02,
        0x05, 0x04, 0x02,
        0x15, 0x02,
        0x00));
  }

  @Test
  void nestedStructsRestartAndRestoreFieldIds() {
    ThriftCompactWriter w = writer();
    w.fieldI32(1, 0);
    w.beginStruct(5); // delta 4, type 12
    w.fieldI32(1, 0); // ids restart at 0 inside
    w.endStruct();
    w.fieldI32(6, 0); // delta 1 from the struct's id 5
    w.emptyStruct(7);
    w.finish();
    assertThat(w.buffer().toArray()).isEqualTo(bytes(
        0x15, 0x00,
        0x4C, 0x15, 0x00, 0x00,
        0x15, 0x00,
        0x1C, 0x00,
        0x00));
  }

  @Test
  void listHeadersShortAndLongForm() {
    ThriftCompactWriter w = writer();
    w.beginList(1, ThriftCompactWriter.I32, 2); // size 2 in the high nibble
    w.i32(1);
    w.i32(-1);
    w.beginList(2, ThriftCompactWriter.BINARY, 15); // delta 1; 15 and more: 0xF8, then the size
    for (int i = 0; i < 15; i++) {
      w.string("");
    }
    w.beginList(3, ThriftCompactWriter.STRUCT, 1);
    w.beginElement();
    w.fieldI32(2, 1); // ids restart inside each element
    w.endStruct();
    w.fieldI32(4, 1); // delta 1 from the list's id 3
    w.finish();
    byte[] expected = new byte[3 + 1 + 3 + 2 + 15 + 1 + 2 + 1 + 2 + 1];
    int i = 0;
    for (int b : new int[] {0x19, 0x25, 0x02, 0x01, 0x19, 0xF8, 0x0F}) {
      expected[i++] = (byte) b;
    }
    i += 15; // 15 empty strings: length 0 each
    for (int b : new int[] {0x19, 0x1C, 0x25, 0x02, 0x00, 0x15, 0x02, 0x00}) {
      expected[i++] = (byte) b;
    }
    assertThat(w.buffer().toArray()).isEqualTo(java.util.Arrays.copyOf(expected, i));
  }

  @Test
  void i64UsesUpToTenVarintBytes() {
    ThriftCompactWriter w = writer();
    w.fieldI64(1, Long.MIN_VALUE); // zigzag: 2^64 - 1, ten bytes
    assertThat(w.buffer().toArray()).isEqualTo(bytes(
        0x16, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01));
  }

  @Test
  void unbalancedStructsAreBugs() {
    ThriftCompactWriter w = writer();
    assertThatThrownBy(w::endStruct).isInstanceOf(IllegalStateException.class);
    w.beginStruct(1);
    assertThatThrownBy(w::finish).isInstanceOf(IllegalStateException.class);
  }
}
