package dev.ersatz.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

/**
 * The Thrift metadata of a Parquet file ({@code parquet.thrift}): the {@code RowGroup} struct of
 * each row group, encoded as soon as the row group is written so that only these bytes stay in
 * memory, and the {@code FileMetaData} that ends the file.
 */
final class ParquetFooter {
  /** Longer string statistics are left out rather than bloat the footer. */
  static final int MAX_STAT_BYTES = 512;

  private ParquetFooter() {}

  /**
   * Where one column chunk lies and what it holds.
   *
   * @param values values in the chunk, nulls included (its row count)
   * @param uncompressed page headers plus uncompressed page bodies, dictionary page included
   * @param compressed bytes the chunk occupies in the file
   * @param dataPageOffset file offset of the first data page
   * @param dictionaryPageOffset file offset of the dictionary page, or -1
   * @param dataPages number of data pages
   * @param dictionary the chunk's dictionary, or null
   */
  record Chunk(ParquetColumn column, long values, long uncompressed, long compressed,
      long dataPageOffset, long dictionaryPageOffset, int dataPages, ColumnStats stats,
      ParquetColumn.Dictionary dictionary) {}

  /**
   * A {@code RowGroup} struct.
   *
   * @param firstPageOffset file offset of the row group's first page
   * @param ordinal the row group's index in the file
   */
  static byte[] rowGroup(List<Chunk> chunks, Codec codec, long rows, long firstPageOffset,
      int ordinal) {
    ThriftCompactWriter w = new ThriftCompactWriter(new ByteBuf(128 + 160 * chunks.size()));
    long uncompressed = 0;
    long compressed = 0;
    w.beginList(1, ThriftCompactWriter.STRUCT, chunks.size());
    for (Chunk c : chunks) {
      columnChunk(w, c, codec);
      uncompressed += c.uncompressed();
      compressed += c.compressed();
    }
    w.fieldI64(2, uncompressed); // total_byte_size: the uncompressed column data
    w.fieldI64(3, rows);
    w.fieldI64(5, firstPageOffset);
    w.fieldI64(6, compressed);
    if (ordinal <= Short.MAX_VALUE) {
      w.fieldI16(7, (short) ordinal);
    }
    w.finish();
    return w.buffer().toArray();
  }

  private static void columnChunk(ThriftCompactWriter w, Chunk c, Codec codec) {
    ParquetColumn col = c.column();
    boolean dict = c.dictionary() != null;
    w.beginElement(); // ColumnChunk
    w.fieldI64(2, 0); // file_offset: deprecated, 0 when no ColumnMetaData is written elsewhere
    w.beginStruct(3); // ColumnMetaData
    w.fieldI32(1, col.kind.physical);
    if (dict) {
      w.beginList(2, ThriftCompactWriter.I32, 3);
      w.i32(ParquetColumn.PLAIN); // the dictionary page
      w.i32(ParquetColumn.RLE); // definition levels
      w.i32(ParquetColumn.RLE_DICTIONARY);
    } else {
      w.beginList(2, ThriftCompactWriter.I32, 2);
      w.i32(ParquetColumn.PLAIN);
      w.i32(ParquetColumn.RLE);
    }
    w.beginList(3, ThriftCompactWriter.BINARY, 1);
    w.string(col.name);
    w.fieldI32(4, codec.thrift);
    w.fieldI64(5, c.values());
    w.fieldI64(6, c.uncompressed());
    w.fieldI64(7, c.compressed());
    w.fieldI64(9, c.dataPageOffset());
    if (dict) {
      w.fieldI64(11, c.dictionaryPageOffset());
    }
    statistics(w, col, c.stats(), c.dictionary());
    if (dict) {
      w.beginList(13, ThriftCompactWriter.STRUCT, 2);
      encodingStats(w, ParquetColumn.DICTIONARY_PAGE, ParquetColumn.PLAIN, 1);
      encodingStats(w, ParquetColumn.DATA_PAGE, ParquetColumn.RLE_DICTIONARY, c.dataPages());
    } else {
      w.beginList(13, ThriftCompactWriter.STRUCT, 1);
      encodingStats(w, ParquetColumn.DATA_PAGE, ParquetColumn.PLAIN, c.dataPages());
    }
    w.endStruct();
    w.endStruct();
  }

  private static void encodingStats(ThriftCompactWriter w, int pageType, int encoding,
      int count) {
    w.beginElement();
    w.fieldI32(1, pageType);
    w.fieldI32(2, encoding);
    w.fieldI32(3, count);
    w.endStruct();
  }

  /**
   * The chunk's {@code Statistics}: null_count always; min_value/max_value (in the column's
   * type-defined order) unless every value is null; nan_count 0 for doubles, whose zero bounds
   * are written as -0.0 (min) and +0.0 (max) as the spec asks.
   */
  private static void statistics(ThriftCompactWriter w, ParquetColumn col, ColumnStats s,
      ParquetColumn.Dictionary dict) {
    byte[] min = null;
    byte[] max = null;
    switch (col.kind) {
      case INTEGER, TIMESTAMP -> {
        if (s.min <= s.max) {
          min = le(s.min, 8);
          max = le(s.max, 8);
        }
      }
      case DATE -> {
        if (s.min <= s.max) {
          min = le(s.min, 4);
          max = le(s.max, 4);
        }
      }
      case BOOL -> {
        if (s.min <= s.max) {
          min = new byte[] {(byte) s.min};
          max = new byte[] {(byte) s.max};
        }
      }
      case DECIMAL -> {
        if (s.dmin <= s.dmax) {
          min = le(Double.doubleToRawLongBits(s.dmin == 0 ? -0.0 : s.dmin), 8);
          max = le(Double.doubleToRawLongBits(s.dmax == 0 ? 0.0 : s.dmax), 8);
        }
      }
      case CATEGORICAL -> {
        if (dict != null && s.used != null) {
          int lo = -1;
          int hi = -1;
          for (int i = 0; i < dict.size(); i++) {
            if ((s.used[i >>> 6] & (1L << i)) != 0) {
              if (lo < 0 || dict.rank[i] < dict.rank[lo]) {
                lo = i;
              }
              if (hi < 0 || dict.rank[i] > dict.rank[hi]) {
                hi = i;
              }
            }
          }
          if (lo >= 0) {
            min = dict.utf8[lo];
            max = dict.utf8[hi];
          }
        }
      }
      case STRING -> {
        min = s.bmin;
        max = s.bmax;
      }
    }
    if (min != null && (min.length > MAX_STAT_BYTES || max.length > MAX_STAT_BYTES)) {
      min = null;
      max = null;
    }
    w.beginStruct(12);
    w.fieldI64(3, s.nulls);
    if (min != null) {
      w.fieldBinary(5, max);
      w.fieldBinary(6, min);
    }
    if (col.kind == ParquetColumn.Kind.DECIMAL) {
      w.fieldI64(9, 0); // nan_count: NaN is Ersatz's missing value, written as null
    }
    w.endStruct();
  }

  private static byte[] le(long v, int bytes) {
    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
    return java.util.Arrays.copyOf(b.array(), bytes);
  }

  /**
   * The {@code FileMetaData} struct: format version 1, the flat schema (a root group with one
   * OPTIONAL leaf per column), the row count, the row groups, key-value metadata, the writer's
   * name and the type-defined sort order of every column (which gives min_value/max_value their
   * meaning).
   */
  static byte[] fileMetaData(ParquetColumn[] columns, long rows, List<byte[]> rowGroups,
      Map<String, String> keyValues, String createdBy) {
    int size = 256 + 64 * columns.length;
    for (byte[] rg : rowGroups) {
      size += rg.length;
    }
    for (Map.Entry<String, String> e : keyValues.entrySet()) {
      size += 16 + 3 * (e.getKey().length() + e.getValue().length());
    }
    ThriftCompactWriter w = new ThriftCompactWriter(new ByteBuf(size));
    w.fieldI32(1, 1);
    w.beginList(2, ThriftCompactWriter.STRUCT, columns.length + 1);
    w.beginElement();
    w.fieldString(4, "schema");
    w.fieldI32(5, columns.length);
    w.endStruct();
    for (ParquetColumn c : columns) {
      c.writeSchemaElement(w);
    }
    w.fieldI64(3, rows);
    w.beginList(4, ThriftCompactWriter.STRUCT, rowGroups.size());
    for (byte[] rg : rowGroups) {
      w.raw(rg);
    }
    w.beginList(5, ThriftCompactWriter.STRUCT, keyValues.size());
    for (Map.Entry<String, String> e : keyValues.entrySet()) {
      w.beginElement();
      w.fieldString(1, e.getKey());
      w.fieldString(2, e.getValue());
      w.endStruct();
    }
    w.fieldString(6, createdBy);
    w.beginList(7, ThriftCompactWriter.STRUCT, columns.length);
    for (int i = 0; i < columns.length; i++) {
      w.beginElement();
      w.emptyStruct(1); // ColumnOrder.TYPE_ORDER
      w.endStruct();
    }
    w.finish();
    return w.buffer().toArray();
  }
}
