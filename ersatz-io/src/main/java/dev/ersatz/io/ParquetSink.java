package dev.ersatz.io;

import dev.ersatz.core.json.Json;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.spi.Version;
import dev.ersatz.core.table.Table;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes Parquet (Apache Parquet format, {@code parquet.thrift} and {@code Encodings.md}) with an
 * encoder of our own: flat schema, one OPTIONAL column per Ersatz column (types in {@link
 * ParquetColumn}), data pages v1, Snappy compression, column statistics, and the Ersatz schema in
 * the key-value metadata under {@value #SCHEMA_KEY} so that {@link TableReader} restores formats
 * (decimal scale, date pattern, boolean spelling, missing tokens) exactly.
 *
 * <p>Streaming with flat memory: {@link #encode} runs on the worker threads and turns each batch
 * into one compressed data page per column. {@link #write} (one thread, row order) collects the
 * pages of the current row group; when the row group is full ({@value #ROW_GROUP_ROWS} rows or
 * {@value #ROW_GROUP_BYTES} bytes of pages) its column chunks are written one after another
 * (a chunk must be contiguous), each led by its dictionary page, and only the row group's
 * Thrift metadata is kept for the footer. Memory is bounded by one row group, whatever the row
 * count.
 *
 * <p>The file is written to a temporary file beside the target and renamed by {@link #commit};
 * the same batches always give the same bytes (no timestamps; {@code created_by} names the
 * Ersatz version).
 */
final class ParquetSink implements TableSink {
  static final String SCHEMA_KEY = "ersatz_schema";
  /** Rows per row group at most: 128 batches of 8,192 rows. */
  static final int ROW_GROUP_ROWS = 1 << 20;
  /** Bytes of encoded pages per row group at most. */
  static final long ROW_GROUP_BYTES = 64L << 20;
  private static final byte[] MAGIC = {'P', 'A', 'R', '1'};

  private final Schema schema;
  private final ParquetColumn[] columns;
  private final Codec codec;
  private final int groupRows;
  private final long groupBytes;
  /** The target as the caller named it, for error messages. */
  private final String label;
  private final AtomicFiles.Pending out;
  private final ThreadLocal<ParquetColumn.Scratch> scratch =
      ThreadLocal.withInitial(ParquetColumn.Scratch::new);
  private long position;

  // the row group being collected
  private final List<List<ParquetColumn.Page>> pages = new ArrayList<>();
  private final ParquetColumn.Dictionary[] dictionaries;
  private int groupRowCount;
  private long groupByteCount;

  // the row groups written
  private final List<byte[]> rowGroups = new ArrayList<>();
  private long rows;

  /** One batch, encoded: a data page per column. */
  private record Encoded(int rows, ParquetColumn.Page[] pages, long bytes) {}

  ParquetSink(Path target, Schema schema) {
    this(target, schema, Codec.SNAPPY, ROW_GROUP_ROWS, ROW_GROUP_BYTES);
  }

  /**
   * @param codec page compression
   * @param groupRows rows per row group at most
   * @param groupBytes bytes of encoded pages per row group at most (a row group always takes at
   *     least one batch)
   */
  ParquetSink(Path target, Schema schema, Codec codec, int groupRows, long groupBytes) {
    this.schema = schema;
    this.codec = codec;
    this.groupRows = groupRows;
    this.groupBytes = groupBytes;
    this.label = target.toString();
    columns = new ParquetColumn[schema.size()];
    dictionaries = new ParquetColumn.Dictionary[schema.size()];
    for (int c = 0; c < columns.length; c++) {
      columns[c] = new ParquetColumn(schema.column(c));
      pages.add(new ArrayList<>());
    }
    out = new AtomicFiles.Pending(target, 1 << 16);
    writeBytes(MAGIC);
  }

  @Override
  public Object encode(Table batch) {
    if (!batch.schema().equals(schema)) {
      throw new IllegalArgumentException("batch schema " + batch.schema().names()
          + " differs from the sink's " + schema.names());
    }
    int n = batch.rowCount();
    ParquetColumn.Page[] p = new ParquetColumn.Page[columns.length];
    long bytes = 0;
    if (n > 0) {
      ParquetColumn.Scratch s = scratch.get();
      for (int c = 0; c < columns.length; c++) {
        p[c] = columns[c].encode(batch.column(c), n, s, codec, label);
        bytes += p[c].bytes().length;
      }
    }
    return new Encoded(n, p, bytes);
  }

  /** The number of bytes an {@link #encode} result will write (for benchmarks). */
  static long encodedLength(Object encoded) {
    return ((Encoded) encoded).bytes();
  }

  @Override
  public void write(Object encoded) {
    Encoded e = (Encoded) encoded;
    if (e.rows() == 0) {
      return;
    }
    if (groupRowCount > 0 && (groupRowCount + e.rows() > groupRows
        || groupByteCount + e.bytes() > groupBytes || !sameDictionaries(e))) {
      flushRowGroup();
    }
    for (int c = 0; c < columns.length; c++) {
      ParquetColumn.Page p = e.pages()[c];
      if (groupRowCount == 0) {
        dictionaries[c] = p.dictionary();
      }
      pages.get(c).add(p);
    }
    groupRowCount += e.rows();
    groupByteCount += e.bytes();
  }

  /**
   * Whether every page of {@code e} refers to the dictionary of the current row group (a column
   * chunk has one dictionary; a batch whose level list differs starts a new row group).
   */
  private boolean sameDictionaries(Encoded e) {
    for (int c = 0; c < columns.length; c++) {
      ParquetColumn.Dictionary d = e.pages()[c].dictionary();
      if (d != dictionaries[c] && (d == null || !d.sameLevels(dictionaries[c]))) {
        return false;
      }
    }
    return true;
  }

  /** Writes the collected row group column by column and keeps its metadata. */
  private void flushRowGroup() {
    long first = position;
    List<ParquetFooter.Chunk> chunks = new ArrayList<>(columns.length);
    for (int c = 0; c < columns.length; c++) {
      long start = position;
      long uncompressed = 0;
      long dictionaryOffset = -1;
      ParquetColumn.Dictionary d = dictionaries[c];
      if (d != null) {
        dictionaryOffset = position;
        writeBytes(d.page);
        uncompressed += d.uncompressedSize;
      }
      long dataOffset = position;
      ColumnStats stats = new ColumnStats();
      long values = 0;
      List<ParquetColumn.Page> list = pages.get(c);
      for (ParquetColumn.Page p : list) {
        writeBytes(p.bytes());
        uncompressed += p.uncompressedSize();
        values += p.values();
        stats.merge(p.stats());
      }
      chunks.add(new ParquetFooter.Chunk(columns[c], values, uncompressed, position - start,
          dataOffset, dictionaryOffset, list.size(), stats, d));
      list.clear();
      dictionaries[c] = null;
    }
    rowGroups.add(ParquetFooter.rowGroup(chunks, codec, groupRowCount, first, rowGroups.size()));
    rows += groupRowCount;
    groupRowCount = 0;
    groupByteCount = 0;
  }

  @Override
  public void commit() {
    if (out.committed()) {
      return;
    }
    try {
      if (groupRowCount > 0) {
        flushRowGroup();
      }
      Map<String, String> kv = new LinkedHashMap<>();
      kv.put(SCHEMA_KEY, Json.write(SchemaJson.toJson(schema)));
      byte[] footer = ParquetFooter.fileMetaData(columns, rows, rowGroups, kv,
          "ersatz version " + Version.get());
      writeBytes(footer);
      writeBytes(new byte[] {(byte) footer.length, (byte) (footer.length >>> 8),
          (byte) (footer.length >>> 16), (byte) (footer.length >>> 24)});
      writeBytes(MAGIC);
      out.commit();
    } finally {
      if (!out.committed()) {
        close();
      }
    }
  }

  @Override
  public void close() {
    out.close();
  }

  private void writeBytes(byte[] b) {
    out.write(b);
    position += b.length;
  }
}
