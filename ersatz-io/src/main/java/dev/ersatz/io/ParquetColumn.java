package dev.ersatz.io;

import dev.ersatz.core.ErsatzException;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.table.ColumnData;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One column of a Parquet file written by {@link ParquetSink}: its schema element and the
 * encoding of one batch of its values into a data page (v1). Immutable apart from a cache of the
 * dictionary of categorical columns; {@link #encode} is thread-safe.
 *
 * <p>Every column is OPTIONAL (definition levels 0 = null, 1 = value, RLE/bit-packed hybrid with
 * the 4-byte length prefix of v1 pages). Values, per Ersatz type:
 * <ul>
 *   <li>integer: INT64, PLAIN; the value rounded half-even, as the CSV sink prints it;
 *   <li>decimal: DOUBLE, PLAIN; the value rounded to the column's scale, i.e. the double nearest
 *       to the decimal the CSV sink prints ({@code -0} becomes {@code 0});
 *   <li>date: INT32 days since 1970-01-01, DATE logical type;
 *   <li>datetime: INT64 microseconds since 1970-01-01T00:00 rounded to the millisecond (the
 *       precision Ersatz keeps), TIMESTAMP(isAdjustedToUTC=false, MICROS) with the
 *       TIMESTAMP_MICROS converted type that the spec asks writers to add for older readers;
 *   <li>time of day (a datetime pattern without a date): INT64 microseconds since midnight,
 *       TIME(isAdjustedToUTC=false, MICROS) with the TIME_MICROS converted type;
 *   <li>boolean: BOOLEAN, PLAIN (bit-packed);
 *   <li>categorical: BYTE_ARRAY with STRING logical type (UTF8 converted type), RLE_DICTIONARY:
 *       the dictionary is the column's level list, known before any row is drawn, so every
 *       worker thread encodes indices on its own; the dictionary page is written once per row
 *       group;
 *   <li>identifier and text: BYTE_ARRAY STRING, PLAIN.
 * </ul>
 * Missing values (NaN, infinities, code -1, null strings) are nulls; empty strings are values.
 */
final class ParquetColumn {
  // physical types (parquet.thrift Type)
  static final int BOOLEAN = 0;
  static final int INT32 = 1;
  static final int INT64 = 2;
  static final int DOUBLE = 5;
  static final int BYTE_ARRAY = 6;
  // encodings (parquet.thrift Encoding)
  static final int PLAIN = 0;
  static final int RLE = 3;
  static final int RLE_DICTIONARY = 8;
  // page types (parquet.thrift PageType)
  static final int DATA_PAGE = 0;
  static final int DICTIONARY_PAGE = 2;

  /** How a column's values are encoded. */
  enum Kind {
    INTEGER(INT64), DECIMAL(DOUBLE), DATE(INT32), TIMESTAMP(INT64), TIME(INT64), BOOL(BOOLEAN),
    CATEGORICAL(BYTE_ARRAY), STRING(BYTE_ARRAY);

    final int physical;

    Kind(int physical) {
      this.physical = physical;
    }
  }

  /** Exact doubles 10^0 .. 10^18 for decimal rounding. */
  private static final double[] POW10 = new double[19];
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  /** Micro-seconds beyond this magnitude overflow a long. */
  private static final double MAX_EPOCH_SECONDS = 9.2e12;

  static {
    double p = 1;
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = p;
      p *= 10;
    }
  }

  final String name;
  final Kind kind;
  private final int scale;
  private final String trueToken;
  private final AtomicReference<Dictionary> dictionary = new AtomicReference<>();

  ParquetColumn(Column column) {
    this.name = column.name();
    ColumnType t = column.type();
    String tt = null;
    int sc = 0;
    if (t instanceof ColumnType.Numeric n) {
      kind = n.integer() ? Kind.INTEGER : Kind.DECIMAL;
      sc = n.scale();
    } else if (t instanceof ColumnType.Datetime d) {
      kind = d.dateOnly() ? Kind.DATE : d.timeOnly() ? Kind.TIME : Kind.TIMESTAMP;
    } else if (t instanceof ColumnType.Bool b) {
      kind = Kind.BOOL;
      tt = b.trueToken();
    } else if (t instanceof ColumnType.Categorical) {
      kind = Kind.CATEGORICAL;
    } else {
      kind = Kind.STRING;
    }
    this.scale = sc;
    this.trueToken = tt;
  }

  /** Appends this column's SchemaElement (a leaf: type, OPTIONAL, name, annotations). */
  void writeSchemaElement(ThriftCompactWriter w) {
    w.beginElement();
    w.fieldI32(1, kind.physical);
    w.fieldI32(3, 1); // FieldRepetitionType.OPTIONAL
    w.fieldString(4, name);
    switch (kind) {
      case DATE -> {
        w.fieldI32(6, 6); // ConvertedType.DATE
        w.beginStruct(10);
        w.emptyStruct(6); // LogicalType.DATE
        w.endStruct();
      }
      case TIMESTAMP -> {
        w.fieldI32(6, 10); // ConvertedType.TIMESTAMP_MICROS
        w.beginStruct(10);
        w.beginStruct(8); // LogicalType.TIMESTAMP
        w.fieldBool(1, false); // isAdjustedToUTC: local date-times, no zone conversion
        w.beginStruct(2); // unit
        w.emptyStruct(2); // TimeUnit.MICROS
        w.endStruct();
        w.endStruct();
        w.endStruct();
      }
      case TIME -> {
        w.fieldI32(6, 8); // ConvertedType.TIME_MICROS
        w.beginStruct(10);
        w.beginStruct(7); // LogicalType.TIME
        w.fieldBool(1, false); // isAdjustedToUTC: a local time of day
        w.beginStruct(2); // unit
        w.emptyStruct(2); // TimeUnit.MICROS
        w.endStruct();
        w.endStruct();
        w.endStruct();
      }
      case CATEGORICAL, STRING -> {
        w.fieldI32(6, 0); // ConvertedType.UTF8
        w.beginStruct(10);
        w.emptyStruct(1); // LogicalType.STRING
        w.endStruct();
      }
      default -> {
        // INT64, DOUBLE and BOOLEAN need no annotation
      }
    }
    w.endStruct();
  }

  /**
   * Encodes one batch of this column as a compressed data page.
   *
   * @param data the column's values ({@code Numbers}, {@code Codes} or {@code Strings} as the
   *     type says)
   * @param rows the batch's row count, at least 1
   * @param s the calling thread's scratch buffers
   * @param file the output file, for error messages
   * @throws ErsatzException when a value cannot be represented in the column's Parquet type
   */
  Page encode(ColumnData data, int rows, Scratch s, Codec codec, String file) {
    ByteBuf body = s.body;
    body.len = 0;
    int[] defs = s.ints(rows);
    ColumnStats st = new ColumnStats();
    Dictionary dict = null;
    int encoding = PLAIN;
    switch (kind) {
      case INTEGER, DECIMAL, DATE, TIMESTAMP, TIME -> {
        ColumnData.Numbers nd = (ColumnData.Numbers) data;
        int nulls = 0;
        for (int r = 0; r < rows; r++) {
          boolean present = Double.isFinite(nd.get(r));
          defs[r] = present ? 1 : 0;
          nulls += present ? 0 : 1;
        }
        putLevels(defs, rows, nulls, body);
        st.nulls = nulls;
        switch (kind) {
          case INTEGER -> putIntegers(nd, rows, nulls, body, st, file);
          case DECIMAL -> putDecimals(nd, rows, nulls, body, st);
          case DATE -> putDates(nd, rows, nulls, body, st, file);
          default -> putTimestamps(nd, rows, nulls, body, st, file);
        }
      }
      case BOOL -> {
        ColumnData.Codes cd = (ColumnData.Codes) data;
        List<String> levels = cd.levels();
        byte[] bitOf = new byte[levels.size()];
        for (int i = 0; i < bitOf.length; i++) {
          bitOf[i] = (byte) (levels.get(i).equals(trueToken) ? 1 : 0);
        }
        byte[] bits = s.bytes(rows);
        int n = 0;
        for (int r = 0; r < rows; r++) {
          int c = cd.code(r);
          defs[r] = c >= 0 ? 1 : 0;
          if (c >= 0) {
            bits[n++] = bitOf[c];
          }
        }
        putLevels(defs, rows, rows - n, body);
        RleHybrid.packBooleans(bits, n, body);
        st.nulls = rows - n;
        long min = 1;
        long max = 0;
        for (int i = 0; i < n; i++) {
          min = Math.min(min, bits[i]);
          max = Math.max(max, bits[i]);
        }
        st.min = min;
        st.max = max;
      }
      case CATEGORICAL -> {
        ColumnData.Codes cd = (ColumnData.Codes) data;
        dict = dictionary(cd.levels(), codec);
        if (dict == null) {
          // no levels at all: every value is missing; a page of nulls needs no dictionary
          Arrays.fill(defs, 0, rows, 0);
          putLevels(defs, rows, rows, body);
          st.nulls = rows;
          break;
        }
        int[] idx = s.ints2(rows);
        long[] used = new long[(dict.size() + 63) >>> 6];
        int n = 0;
        for (int r = 0; r < rows; r++) {
          int c = cd.code(r);
          defs[r] = c >= 0 ? 1 : 0;
          if (c >= 0) {
            idx[n++] = c;
            used[c >>> 6] |= 1L << c;
          }
        }
        putLevels(defs, rows, rows - n, body);
        body.put((byte) dict.bitWidth);
        RleHybrid.encode(idx, n, dict.bitWidth, body);
        st.nulls = rows - n;
        st.used = used;
        encoding = RLE_DICTIONARY;
      }
      default -> {
        ColumnData.Strings sd = (ColumnData.Strings) data;
        int nulls = 0;
        for (int r = 0; r < rows; r++) {
          boolean present = sd.get(r) != null;
          defs[r] = present ? 1 : 0;
          nulls += present ? 0 : 1;
        }
        putLevels(defs, rows, nulls, body);
        st.nulls = nulls;
        putStrings(sd, rows, body, st);
      }
    }
    byte[] page = s.finishPage(DATA_PAGE, rows, encoding, codec);
    return new Page(page, s.lastUncompressedSize, rows, st, dict, encoding);
  }

  /** Definition levels with their 4-byte little-endian length prefix. */
  private static void putLevels(int[] defs, int rows, int nulls, ByteBuf body) {
    body.ensure(4);
    int at = body.len;
    body.len += 4;
    if (nulls == 0 || nulls == rows) {
      RleHybrid.putRle(nulls == 0 ? 1 : 0, rows, 1, body);
    } else {
      RleHybrid.encode(defs, rows, 1, body);
    }
    INT_LE.set(body.buf, at, body.len - at - 4);
  }

  private void putIntegers(ColumnData.Numbers nd, int rows, int nulls, ByteBuf body,
      ColumnStats st, String file) {
    body.ensure(8 * (rows - nulls));
    byte[] b = body.buf;
    int at = body.len;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int r = 0; r < rows; r++) {
      double v = nd.get(r);
      if (!Double.isFinite(v)) {
        continue;
      }
      double x = Math.rint(v);
      if (!(x >= -0x1p63 && x < 0x1p63)) {
        throw new ErsatzException("cannot write " + file + ": column '" + name + "' holds "
            + v + ", beyond the 64-bit integers Parquet stores; declare the column decimal "
            + "or write CSV");
      }
      long l = (long) x;
      LONG_LE.set(b, at, l);
      at += 8;
      min = Math.min(min, l);
      max = Math.max(max, l);
    }
    body.len = at;
    st.min = min;
    st.max = max;
  }

  private void putDecimals(ColumnData.Numbers nd, int rows, int nulls, ByteBuf body,
      ColumnStats st) {
    body.ensure(8 * (rows - nulls));
    byte[] b = body.buf;
    int at = body.len;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int r = 0; r < rows; r++) {
      double v = nd.get(r);
      if (!Double.isFinite(v)) {
        continue;
      }
      double x = roundToScale(v, scale);
      LONG_LE.set(b, at, Double.doubleToRawLongBits(x));
      at += 8;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    body.len = at;
    st.dmin = min;
    st.dmax = max;
  }

  private void putDates(ColumnData.Numbers nd, int rows, int nulls, ByteBuf body,
      ColumnStats st, String file) {
    body.ensure(4 * (rows - nulls));
    byte[] b = body.buf;
    int at = body.len;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int r = 0; r < rows; r++) {
      double v = nd.get(r);
      if (!Double.isFinite(v)) {
        continue;
      }
      if (Math.abs(v) > MAX_EPOCH_SECONDS) {
        throw outOfRange(file, v);
      }
      // as the CSV sink: whole seconds first, then the day they fall on
      long day = Math.floorDiv(Math.round(v), 86400L);
      INT_LE.set(b, at, (int) day);
      at += 4;
      min = Math.min(min, day);
      max = Math.max(max, day);
    }
    body.len = at;
    st.min = min;
    st.max = max;
  }

  private void putTimestamps(ColumnData.Numbers nd, int rows, int nulls, ByteBuf body,
      ColumnStats st, String file) {
    body.ensure(8 * (rows - nulls));
    byte[] b = body.buf;
    int at = body.len;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int r = 0; r < rows; r++) {
      double v = nd.get(r);
      if (!Double.isFinite(v)) {
        continue;
      }
      if (Math.abs(v) > MAX_EPOCH_SECONDS) {
        throw outOfRange(file, v);
      }
      long millis = Math.round(v * 1000.0);
      // a time of day: microseconds since midnight (formats print any value's time of day)
      long micros = (kind == Kind.TIME ? Math.floorMod(millis, 86_400_000L) : millis) * 1000L;
      LONG_LE.set(b, at, micros);
      at += 8;
      min = Math.min(min, micros);
      max = Math.max(max, micros);
    }
    body.len = at;
    st.min = min;
    st.max = max;
  }

  private ErsatzException outOfRange(String file, double v) {
    return new ErsatzException("cannot write " + file + ": column '" + name + "' holds "
        + v + " seconds since 1970, beyond the dates Parquet stores");
  }

  private static void putStrings(ColumnData.Strings sd, int rows, ByteBuf body, ColumnStats st) {
    int minAt = -1;
    int minLen = 0;
    int maxAt = -1;
    int maxLen = 0;
    for (int r = 0; r < rows; r++) {
      String v = sd.get(r);
      if (v == null) {
        continue;
      }
      int n = v.length();
      body.ensure(4 + n);
      int lenAt = body.len;
      int at = lenAt + 4;
      byte[] b = body.buf;
      int i = 0;
      for (; i < n; i++) {
        char ch = v.charAt(i);
        if (ch >= 0x80) {
          break;
        }
        b[at + i] = (byte) ch;
      }
      int len;
      if (i == n) {
        len = n;
      } else {
        byte[] utf8 = v.getBytes(StandardCharsets.UTF_8);
        body.ensure(4 + utf8.length);
        b = body.buf;
        System.arraycopy(utf8, 0, b, at, utf8.length);
        len = utf8.length;
      }
      INT_LE.set(b, lenAt, len);
      body.len = at + len;
      if (minAt < 0 || Arrays.compareUnsigned(b, at, at + len, b, minAt, minAt + minLen) < 0) {
        minAt = at;
        minLen = len;
      }
      if (maxAt < 0 || Arrays.compareUnsigned(b, at, at + len, b, maxAt, maxAt + maxLen) > 0) {
        maxAt = at;
        maxLen = len;
      }
    }
    if (minAt >= 0) {
      st.bmin = Arrays.copyOfRange(body.buf, minAt, minAt + minLen);
      st.bmax = Arrays.copyOfRange(body.buf, maxAt, maxAt + maxLen);
    }
  }

  /**
   * {@code v} rounded half-even to {@code scale} decimal places: the double nearest to the
   * decimal that {@link CsvSink} prints for it, never {@code -0}.
   */
  static double roundToScale(double v, int scale) {
    double r;
    if (scale == 0) {
      r = Math.rint(v);
    } else {
      double p = v * POW10[scale];
      double q = Math.rint(p);
      // the product may be off by half an ulp; only near a tie could that change the result
      if (Math.abs(p) < 9.0e15 && 0.5 - Math.abs(p - q) > 2 * Math.ulp(p)) {
        r = q / POW10[scale]; // both exact, so the quotient is the correctly rounded decimal
      } else {
        r = new BigDecimal(v).setScale(scale, RoundingMode.HALF_EVEN).doubleValue();
      }
    }
    return r == 0 ? 0.0 : r;
  }

  /**
   * The dictionary for {@code levels}, built once per distinct level list; null when there are
   * no levels.
   */
  private Dictionary dictionary(List<String> levels, Codec codec) {
    if (levels.isEmpty()) {
      return null;
    }
    Dictionary d = dictionary.get();
    if (d != null && (d.levels == levels || d.levels.equals(levels))) {
      return d;
    }
    d = new Dictionary(levels, codec);
    dictionary.set(d);
    return d;
  }

  /**
   * A categorical column's dictionary: its levels as UTF-8, the encoded dictionary page, the
   * bit width of indices, and the levels' rank in unsigned byte order (for statistics).
   */
  static final class Dictionary {
    final List<String> levels;
    final byte[][] utf8;
    final int bitWidth;
    /** Header and compressed PLAIN body of the dictionary page. */
    final byte[] page;
    /** Header and uncompressed body size of the dictionary page. */
    final int uncompressedSize;
    /** rank[i] = position of level i among all levels in unsigned UTF-8 byte order. */
    final int[] rank;

    Dictionary(List<String> levels, Codec codec) {
      this.levels = List.copyOf(levels);
      int n = levels.size();
      utf8 = new byte[n][];
      int bytes = 0;
      for (int i = 0; i < n; i++) {
        utf8[i] = levels.get(i).getBytes(StandardCharsets.UTF_8);
        bytes += 4 + utf8[i].length;
      }
      bitWidth = RleHybrid.bitWidth(n - 1);
      Scratch s = new Scratch();
      s.body.ensure(bytes);
      for (byte[] u : utf8) {
        INT_LE.set(s.body.buf, s.body.len, u.length);
        s.body.len += 4;
        s.body.put(u);
      }
      page = s.finishPage(DICTIONARY_PAGE, n, PLAIN, codec);
      uncompressedSize = s.lastUncompressedSize;
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(utf8[a], utf8[b]));
      rank = new int[n];
      for (int i = 0; i < n; i++) {
        rank[order[i]] = i;
      }
    }

    int size() {
      return utf8.length;
    }

    boolean sameLevels(Dictionary o) {
      return o == this || (o != null && o.levels.equals(levels));
    }
  }

  /**
   * One encoded data page: header and compressed body, ready to be appended to a column chunk.
   *
   * @param bytes page header followed by the compressed body
   * @param uncompressedSize page header plus uncompressed body, in bytes
   * @param values values in the page, nulls included
   * @param stats the page's null count and value range
   * @param dictionary the dictionary its indices refer to, or null for a PLAIN page
   * @param encoding the values' encoding
   */
  record Page(byte[] bytes, int uncompressedSize, int values, ColumnStats stats,
      Dictionary dictionary, int encoding) {}

  /** Per-thread encoding buffers, reused from batch to batch. */
  static final class Scratch {
    final ByteBuf body = new ByteBuf(1 << 16);
    private final ByteBuf header = new ByteBuf(64);
    private int[] ints = new int[0];
    private int[] ints2 = new int[0];
    private byte[] bytes = new byte[0];
    private byte[] compressed = new byte[0];
    private final Codec.Compressor[] compressors = new Codec.Compressor[Codec.values().length];
    int lastUncompressedSize;

    int[] ints(int n) {
      if (ints.length < n) {
        ints = new int[n];
      }
      return ints;
    }

    int[] ints2(int n) {
      if (ints2.length < n) {
        ints2 = new int[n];
      }
      return ints2;
    }

    byte[] bytes(int n) {
      if (bytes.length < n) {
        bytes = new byte[n];
      }
      return bytes;
    }

    /**
     * Compresses {@link #body} and prepends a page header: a DATA_PAGE (v1, RLE definition and
     * repetition levels) or a DICTIONARY_PAGE. Sets {@link #lastUncompressedSize}.
     */
    byte[] finishPage(int pageType, int values, int encoding, Codec codec) {
      int raw = body.len;
      byte[] src = body.buf;
      int clen;
      if (codec == Codec.UNCOMPRESSED) {
        clen = raw;
      } else {
        Codec.Compressor c = compressors[codec.ordinal()];
        if (c == null) {
          c = codec.newCompressor();
          compressors[codec.ordinal()] = c;
        }
        int max = c.maxCompressedLength(raw);
        if (compressed.length < max) {
          compressed = new byte[Math.max(max, compressed.length * 2)];
        }
        clen = c.compress(src, raw, compressed);
        src = compressed;
      }
      header.len = 0;
      ThriftCompactWriter w = new ThriftCompactWriter(header);
      w.fieldI32(1, pageType);
      w.fieldI32(2, raw);
      w.fieldI32(3, clen);
      if (pageType == DATA_PAGE) {
        w.beginStruct(5);
        w.fieldI32(1, values);
        w.fieldI32(2, encoding);
        w.fieldI32(3, RLE); // definition levels
        w.fieldI32(4, RLE); // repetition levels (none: the schema is flat)
        w.endStruct();
      } else {
        w.beginStruct(7);
        w.fieldI32(1, values);
        w.fieldI32(2, encoding);
        w.endStruct();
      }
      w.finish();
      byte[] page = new byte[header.len + clen];
      System.arraycopy(header.buf, 0, page, 0, header.len);
      System.arraycopy(src, 0, page, header.len, clen);
      lastUncompressedSize = header.len + raw;
      return page;
    }
  }
}
