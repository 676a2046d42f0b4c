package dev.ersatz.io;

import java.nio.charset.StandardCharsets;

/**
 * Writes Thrift structs in the compact protocol, the encoding of Parquet's page headers and file
 * footer. Only what Parquet's metadata needs: structs (and unions, which are structs with one
 * field), {@code bool}, {@code i8}, {@code i32}, {@code i64}, {@code binary}/{@code string}
 * fields, and lists of {@code i32}, {@code string} and structs.
 *
 * <p>Encoding (Apache Thrift, {@code doc/specs/thrift-compact-protocol.md}): a field header is one
 * byte {@code (delta << 4) | type} when the field id exceeds the previous field id of the same
 * struct by 1 to 15, else the type byte followed by the id as a zigzag varint; integers are
 * zigzag varints (ULEB128); binary is a varint length and the bytes; booleans live in the
 * field header's type (1 true, 2 false); a list header is one byte {@code (size << 4) | type} for
 * sizes below 15, else {@code 0xF0 | type} and the size as a varint; a struct ends with a 0 byte.
 *
 * <p>Not thread-safe; one writer per encoding.
 */
final class ThriftCompactWriter {
  static final int BOOLEAN_TRUE = 1;
  static final int BOOLEAN_FALSE = 2;
  static final int I8 = 3;
  static final int I16 = 4;
  static final int I32 = 5;
  static final int I64 = 6;
  static final int DOUBLE = 7;
  static final int BINARY = 8;
  static final int LIST = 9;
  static final int STRUCT = 12;

  private final ByteBuf out;
  /** Last field id of each open struct; the innermost is {@link #lastId}. */
  private int[] stack = new int[8];
  private int depth;
  private int lastId;

  /** A writer appending to {@code out}, positioned at the start of a top-level struct. */
  ThriftCompactWriter(ByteBuf out) {
    this.out = out;
  }

  ByteBuf buffer() {
    return out;
  }

  // ------------------------------------------------------------------ fields

  void fieldBool(int id, boolean v) {
    header(id, v ? BOOLEAN_TRUE : BOOLEAN_FALSE);
  }

  void fieldI8(int id, int v) {
    header(id, I8);
    out.put((byte) v);
  }

  void fieldI16(int id, short v) {
    header(id, I16);
    varint(zigzag((int) v));
  }

  void fieldI32(int id, int v) {
    header(id, I32);
    varint(zigzag(v));
  }

  void fieldI64(int id, long v) {
    header(id, I64);
    varint(zigzag(v));
  }

  void fieldBinary(int id, byte[] v) {
    header(id, BINARY);
    binary(v);
  }

  void fieldString(int id, String v) {
    fieldBinary(id, v.getBytes(StandardCharsets.UTF_8));
  }

  /** Opens a struct (or union) field; close it with {@link #endStruct}. */
  void beginStruct(int id) {
    header(id, STRUCT);
    push();
  }

  /** An empty struct field, such as Parquet's {@code StringType} or {@code TypeDefinedOrder}. */
  void emptyStruct(int id) {
    beginStruct(id);
    endStruct();
  }

  /** Closes the innermost struct opened by {@link #beginStruct} or {@link #beginElement}. */
  void endStruct() {
    if (depth == 0) {
      throw new IllegalStateException("no open struct");
    }
    out.put((byte) 0);
    lastId = stack[--depth];
  }

  /** Ends the top-level struct (its stop byte). */
  void finish() {
    if (depth != 0) {
      throw new IllegalStateException(depth + " structs still open");
    }
    out.put((byte) 0);
    lastId = 0;
  }

  /** Opens a list field of {@code size} elements of compact type {@code elementType}. */
  void beginList(int id, int elementType, int size) {
    header(id, LIST);
    if (size < 15) {
      out.put((byte) ((size << 4) | elementType));
    } else {
      out.put((byte) (0xF0 | elementType));
      varint(size);
    }
  }

  // ------------------------------------------------------------------ list elements

  void i32(int v) {
    varint(zigzag(v));
  }

  void string(String v) {
    binary(v.getBytes(StandardCharsets.UTF_8));
  }

  /** Appends bytes already encoded, such as a list element struct written by another writer. */
  void raw(byte[] encoded) {
    out.put(encoded);
  }

  /** Opens a struct that is a list element; close it with {@link #endStruct}. */
  void beginElement() {
    push();
  }

  // ------------------------------------------------------------------ encoding

  private void header(int id, int type) {
    int delta = id - lastId;
    if (delta > 0 && delta <= 15) {
      out.put((byte) ((delta << 4) | type));
    } else {
      out.put((byte) type);
      varint(zigzag(id));
    }
    lastId = id;
  }

  private void push() {
    if (depth == stack.length) {
      stack = java.util.Arrays.copyOf(stack, depth * 2);
    }
    stack[depth++] = lastId;
    lastId = 0;
  }

  private void binary(byte[] v) {
    varint(v.length);
    out.put(v);
  }

  /** Appends {@code v} as an unsigned LEB128 varint. */
  void varint(long v) {
    out.ensure(10);
    while ((v & ~0x7FL) != 0) {
      out.buf[out.len++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.buf[out.len++] = (byte) v;
  }

  static long zigzag(long v) {
    return (v << 1) ^ (v >> 63);
  }

  static int zigzag(int v) {
    return (v << 1) ^ (v >> 31);
  }

  private void varint(int v) {
    varint(v & 0xFFFFFFFFL);
  }
}
