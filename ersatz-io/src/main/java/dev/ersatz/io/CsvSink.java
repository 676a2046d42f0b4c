package dev.ersatz.io;

import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Writes CSV (RFC 4180 quoting, {@code \n} line ends, UTF-8, no byte-order mark) with
 * hand-written formatting so that a batch of 8,192 rows becomes one {@code byte[]} without
 * intermediate strings.
 *
 * <p>Formats, per column type: integers as plain digits; decimals rounded to the column's scale
 * (the exact binary value rounded half-even, as C's {@code printf} and Python's {@code format}
 * do), trailing zeros stripped unless {@code fixedScale}, never exponent notation, never
 * {@code -0}; categorical and boolean labels as pre-encoded bytes; dates with the column's
 * pattern; missing values (and non-finite numbers) as the column's missing token. In a file with
 * a single column an empty value is written {@code ""} so that it does not become a blank line.
 *
 * <p>With gzip, each batch is compressed on the encoding thread as its own gzip member
 * ({@link ByteOutput#gzipMember}).
 */
final class CsvSink implements TableSink {
  private static final int K_INT = CellLayout.K_INT;
  private static final int K_DEC = CellLayout.K_DEC;
  private static final int K_DATE = CellLayout.K_DATE;
  private static final int K_CODES = CellLayout.K_CODES;
  private static final int K_FMT = CellLayout.K_FMT;
  private static final double[] POW10 = new double[19];
  private static final byte[] QUOTED_EMPTY = {'"', '"'};

  static {
    double p = 1;
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = p;
      p *= 10;
    }
  }

  /** A target file written atomically, or a stream written as it goes ({@link #toStream}). */
  private final ByteOutput out;
  private final Schema schema;
  private final byte delim;
  private final boolean gzip;
  private final CellLayout layout;
  private final int[] kinds;
  private final int[] scales;
  private final boolean[] fixed;
  private final ColumnType.Numeric[] formats;
  private final DatePattern[] patterns;
  private final byte[][] missing;
  private final AtomicReferenceArray<Levels> levelCache;
  private volatile int bytesPerRow = 64;
  /**
   * Encoding buffers already written out, for {@link #encode} to fill again: a batch's bytes
   * (about 1 MB) are otherwise fresh garbage each time, and at millions of rows per second
   * allocating and collecting them costs more than the encoding.
   */
  private final ConcurrentLinkedQueue<byte[]> spare = new ConcurrentLinkedQueue<>();
  private static final int SPARE_BUFFERS = 16;

  private record Levels(List<String> levels, byte[][] bytes) {}

  CsvSink(Path target, Schema schema, char delim, boolean gzip) {
    this(ByteOutput.file(target), schema, delim, gzip);
  }

  /**
   * A sink that writes straight to {@code stream} (standard output, for {@code sample -o -}):
   * no temporary file, so nothing to rename; {@link #commit} flushes the stream and {@link
   * #close} leaves it open. Rows already written stay written if a later batch fails.
   */
  static CsvSink toStream(OutputStream stream, String where, Schema schema, char delim) {
    return new CsvSink(ByteOutput.of(stream, where), schema, delim, false);
  }

  private CsvSink(ByteOutput out, Schema schema, char delim, boolean gzip) {
    this.out = out;
    this.schema = schema;
    this.delim = (byte) delim;
    this.gzip = gzip;
    int n = schema.size();
    layout = new CellLayout(schema);
    kinds = layout.kinds;
    scales = layout.scales;
    fixed = layout.fixed;
    formats = layout.formats;
    patterns = layout.patterns;
    missing = new byte[n][];
    levelCache = new AtomicReferenceArray<>(n);
    for (int c = 0; c < n; c++) {
      Column col = schema.column(c);
      String tok = col.missingToken();
      missing[c] = tok.isEmpty() && n == 1 ? new byte[] {'"', '"'} : escape(tok);
    }
    ByteBuf header = new ByteBuf(256);
    for (int c = 0; c < n; c++) {
      if (c > 0) {
        header.put(this.delim);
      }
      header.put(escape(schema.column(c).name()));
    }
    header.put((byte) '\n');
    byte[] head = gzip ? ByteOutput.gzipMember(header.buf, header.len) : header.toArray();
    out.writeOrClose(head);
  }

  @Override
  public Object encode(Table batch) {
    CellLayout.Unpacked u = layout.unpack(batch, this::levelBytes);
    int rows = batch.rowCount();
    int n = kinds.length;
    // An upper bound of a row's bytes outside strings, so the loop checks capacity once a row.
    int bound = n + 1;
    for (int c = 0; c < n; c++) {
      int w = missing[c].length;
      switch (kinds[c]) {
        case K_INT:
          w = Math.max(w, 20);
          break;
        case K_DEC:
          w = Math.max(w, 32);
          break;
        case K_DATE:
          w = Math.max(w, 32);
          break;
        case K_FMT:
          w = Math.max(w, 64 + 4 * (formats[c].prefix().length() + formats[c].suffix().length()));
          break;
        case K_CODES:
          for (byte[] l : u.labels[c]) {
            w = Math.max(w, l.length);
          }
          break;
        default:
          break;
      }
      bound += w;
    }
    int est = Math.max(rows * bytesPerRow, rows * 8);
    int capacity = est + (est >> 3) + bound + 64;
    byte[] reuse = gzip ? null : spare.poll();
    ByteBuf b = reuse != null && reuse.length >= capacity ? new ByteBuf(reuse)
        : new ByteBuf(capacity);
    for (int r = 0; r < rows; r++) {
      b.ensure(bound);
      for (int c = 0; c < n; c++) {
        if (c > 0) {
          b.buf[b.len++] = delim;
        }
        switch (kinds[c]) {
          case K_INT: {
            double v = u.nums[c][r];
            if (Double.isFinite(v)) {
              double x = Math.rint(v);
              if (Math.abs(x) < 9.0e18) {
                b.putLongNoCheck((long) x);
              } else {
                putInteger(b, v);
              }
            } else {
              b.putNoCheck(missing[c]);
            }
            break;
          }
          case K_DEC: {
            double v = u.nums[c][r];
            if (Double.isFinite(v)) {
              putDecimal(b, v, scales[c], fixed[c]);
            } else {
              b.putNoCheck(missing[c]);
            }
            break;
          }
          case K_FMT: {
            double v = u.nums[c][r];
            if (Double.isFinite(v)) {
              putString(b, formatNumber(v, formats[c]));
              b.ensure(bound);
            } else {
              b.putNoCheck(missing[c]);
            }
            break;
          }
          case K_DATE: {
            double v = u.nums[c][r];
            if (Double.isFinite(v)) {
              patterns[c].format(v, b);
            } else {
              b.putNoCheck(missing[c]);
            }
            break;
          }
          case K_CODES: {
            int code = u.codes[c][r];
            b.putNoCheck(code < 0 ? missing[c] : u.labels[c][code]);
            break;
          }
          default: {
            String s = u.strs[c].get(r);
            if (s == null) {
              b.putNoCheck(missing[c]);
            } else if (s.isEmpty() && n == 1) {
              b.putNoCheck(QUOTED_EMPTY);
            } else {
              putString(b, s);
              b.ensure(bound);
            }
            break;
          }
        }
      }
      b.buf[b.len++] = '\n';
    }
    if (rows > 0) {
      bytesPerRow = Math.max(8, b.len / rows);
    }
    return gzip ? ByteOutput.gzipMember(b.buf, b.len) : new Chunk(b.buf, b.len);
  }

  /** Encoded bytes {@code [0, len)} of {@code buf} (no copy of the encoding buffer). */
  private record Chunk(byte[] buf, int len) {}

  /** The number of bytes an {@link #encode} result will write. */
  static int encodedLength(Object encoded) {
    return encoded instanceof Chunk ch ? ch.len() : ((byte[]) encoded).length;
  }

  @Override
  public void write(Object encoded) {
    if (encoded instanceof Chunk ch) {
      out.write(ch.buf(), 0, ch.len());
      if (spare.size() < SPARE_BUFFERS) {
        spare.offer(ch.buf());
      }
    } else {
      out.write((byte[]) encoded);
    }
  }

  @Override
  public void commit() {
    out.commit();
  }

  /** Deletes an uncommitted file; a stream is the caller's to close (what was written stays). */
  @Override
  public void close() {
    out.close();
  }

  private byte[][] levelBytes(int c, List<String> levels) {
    Levels l = levelCache.get(c);
    if (l != null && (l.levels() == levels || l.levels().equals(levels))) {
      return l.bytes();
    }
    byte[][] bytes = new byte[levels.size()][];
    for (int i = 0; i < bytes.length; i++) {
      String s = levels.get(i);
      bytes[i] = s.isEmpty() && kinds.length == 1 ? QUOTED_EMPTY : escape(s);
    }
    levelCache.set(c, new Levels(levels, bytes));
    return bytes;
  }

  /** A value as CSV bytes, quoted when it holds the delimiter, a quote, CR or LF. */
  private byte[] escape(String s) {
    ByteBuf b = new ByteBuf(s.length() + 2);
    putString(b, s);
    return b.toArray();
  }

  private void putString(ByteBuf b, String s) {
    int n = s.length();
    boolean quote = false;
    boolean ascii = true;
    for (int i = 0; i < n; i++) {
      char ch = s.charAt(i);
      if (ch == delim || ch == '"' || ch == '\n' || ch == '\r') {
        quote = true;
      } else if (ch >= 0x80) {
        ascii = false;
      }
    }
    if (!quote && ascii) {
      b.putAscii(s);
      return;
    }
    if (!quote) {
      b.putUtf8(s);
      return;
    }
    b.put((byte) '"');
    b.putUtf8(s.replace("\"", "\"\""));
    b.put((byte) '"');
  }

  /** Rounds half-even to an integer and writes it; never {@code -0}. */
  static void putInteger(ByteBuf b, double v) {
    double r = Math.rint(v);
    if (Math.abs(r) < 9.0e18) {
      b.putLong((long) r);
    } else {
      b.putAscii(new BigDecimal(r).toPlainString());
    }
  }

  /**
   * Writes {@code v} with {@code scale} digits after the point: the exact binary value rounded
   * half-even, trailing zeros stripped unless {@code fixedScale}, no exponent, no {@code -0}.
   * Without {@code fixedScale}, a rounded value of more than 15 significant digits is written
   * as the shortest decimal that reads back as the same double (so {@code 0.798611111111111}
   * stays as it was read in a column whose scale is 17, not {@code 0.79861111111111105}).
   */
  static void putDecimal(ByteBuf b, double v, int scale, boolean fixedScale) {
    if (scale == 0) {
      putInteger(b, v);
      return;
    }
    double p = v * POW10[scale];
    // at most 15 significant digits: the rounded decimal is already its double's shortest
    if (Math.abs(p) < (fixedScale ? 9.0e15 : 1.0e15)) {
      double r = Math.rint(p);
      // The product may be off by half an ulp; only near a tie could that change the result.
      if (0.5 - Math.abs(p - r) > 2 * Math.ulp(p)) {
        putScaled(b, (long) r, scale, fixedScale);
        return;
      }
    }
    BigDecimal bd = new BigDecimal(v).setScale(scale, RoundingMode.HALF_EVEN);
    if (bd.signum() == 0) {
      bd = BigDecimal.ZERO.setScale(scale);
    }
    if (!fixedScale) {
      if (bd.precision() > 15) {
        bd = shortest(bd.doubleValue());
      }
      bd = bd.stripTrailingZeros();
      if (bd.scale() < 0) {
        bd = bd.setScale(0);
      }
    }
    b.putAscii(bd.toPlainString());
  }

  /**
   * The decimal of fewest significant digits that reads back as {@code d}: 15 digits do when
   * any count up to 15 does (two decimals of at most 15 digits never share a double), else 16,
   * else the 17 that always do.
   */
  private static BigDecimal shortest(double d) {
    BigDecimal exact = new BigDecimal(d);
    for (int k = 15; k < 17; k++) {
      BigDecimal r = exact.round(new MathContext(k, RoundingMode.HALF_EVEN));
      if (r.doubleValue() == d) {
        return r;
      }
    }
    return exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
  }

  private static final long[] LPOW10 = new long[19];

  static {
    long p = 1;
    for (int i = 0; i < LPOW10.length; i++) {
      LPOW10[i] = p;
      p *= 10;
    }
  }

  private static void putScaled(ByteBuf b, long m, int scale, boolean fixedScale) {
    if (m < 0) {
      b.put((byte) '-');
      m = -m;
    }
    long ip = m / LPOW10[scale];
    long frac = m - ip * LPOW10[scale];
    b.putLong(ip);
    if (fixedScale) {
      b.put((byte) '.');
      b.putDigits(frac, scale);
      return;
    }
    if (frac == 0) {
      return;
    }
    int s = scale;
    while (frac % 10 == 0) {
      frac /= 10;
      s--;
    }
    b.put((byte) '.');
    b.putDigits(frac, s);
  }

  /** Formats one decimal as text, as the sink writes it (for tests and other writers). */
  /**
   * A number in its column's format: the minus sign, the prefix, the digits (commas between
   * thousands when the column groups them), the suffix: {@code -$1,234.5}.
   */
  static String formatNumber(double v, ColumnType.Numeric t) {
    double a = Math.abs(v);
    String digits = t.integer() ? new java.math.BigDecimal(Math.rint(a)).toPlainString()
        : formatDecimal(a, t.scale(), t.fixedScale());
    if (t.grouping()) {
      int point = digits.indexOf('.');
      int end = point < 0 ? digits.length() : point;
      StringBuilder g = new StringBuilder(digits.length() + end / 3);
      for (int i = 0; i < end; i++) {
        if (i > 0 && (end - i) % 3 == 0) {
          g.append(',');
        }
        g.append(digits.charAt(i));
      }
      digits = g.append(digits, end, digits.length()).toString();
    }
    boolean zero = digits.chars().allMatch(ch -> ch == '0' || ch == '.' || ch == ',');
    return (v < 0 && !zero ? "-" : "") + t.prefix() + digits + t.suffix();
  }

  static String formatDecimal(double v, int scale, boolean fixedScale) {
    ByteBuf b = new ByteBuf(32);
    putDecimal(b, v, scale, fixedScale);
    return new String(b.buf, 0, b.len, StandardCharsets.US_ASCII);
  }
}
