package dev.ersatz.io;

import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes JSON: one object per row, either one per line ({@code .jsonl}, {@code .ndjson}: JSON
 * Lines) or as one array ({@code .json}), UTF-8, keys in the schema's order. Values: integers
 * and decimals as JSON numbers, formatted exactly as {@link CsvSink} writes them (a number with
 * a prefix, suffix or grouped thousands, {@code $1,234.50}, as a string); dates as strings in
 * the column's pattern; categories as strings; a boolean column as {@code true}/{@code false}
 * when its spellings are those, else as its spellings; text as strings; a missing value (and a
 * non-finite number) as {@code null}. {@link TableReader} reads every file written here back
 * with the same columns.
 *
 * <p>Like every sink, the output goes to a temporary file renamed by {@link #commit}, or
 * straight to a stream ({@link #toStream}). With gzip ({@code .jsonl.gz}, {@code .json.gz})
 * each batch is its own gzip member, as in {@link CsvSink}.
 */
final class JsonSink implements TableSink {
  private static final int K_INT = CellLayout.K_INT;
  private static final int K_DEC = CellLayout.K_DEC;
  private static final int K_DATE = CellLayout.K_DATE;
  private static final int K_CODES = CellLayout.K_CODES;
  private static final int K_FMT = CellLayout.K_FMT;
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};

  private final ByteOutput out;
  /** One array ({@code .json}) rather than one object per line. */
  private final boolean array;
  /** Each batch (and each separator) as its own gzip member. */
  private final boolean gzip;
  private final CellLayout layout;
  private final int[] kinds;
  /** A boolean column whose spellings are true and false: written as JSON literals. */
  private final boolean[] literal;
  /** Per column, {@code "name":} (with a leading comma after the first column). */
  private final byte[][] keys;
  private boolean first = true;

  JsonSink(Path target, Schema schema, boolean array, boolean gzip) {
    this(ByteOutput.file(target), schema, array, gzip);
  }

  /**
   * JSON Lines written straight to {@code stream} (for {@code sample -o -}); see {@link
   * CsvSink#toStream}.
   */
  static JsonSink toStream(OutputStream stream, String where, Schema schema) {
    return new JsonSink(ByteOutput.of(stream, where), schema, false, false);
  }

  private JsonSink(ByteOutput out, Schema schema, boolean array, boolean gzip) {
    this.out = out;
    this.array = array;
    this.gzip = gzip;
    int n = schema.size();
    layout = new CellLayout(schema);
    kinds = layout.kinds;
    literal = new boolean[n];
    keys = new byte[n][];
    for (int c = 0; c < n; c++) {
      Column col = schema.column(c);
      literal[c] = col.type() instanceof ColumnType.Bool b
          && b.trueToken().toLowerCase(Locale.ROOT).equals("true")
          && b.falseToken().toLowerCase(Locale.ROOT).equals("false");
      ByteBuf k = new ByteBuf(col.name().length() + 4);
      if (c > 0) {
        k.put((byte) ',');
      }
      putString(k, col.name());
      k.put((byte) ':');
      keys[c] = k.toArray();
    }
    if (array) {
      byte[] open = {'['};
      out.writeOrClose(gzip ? ByteOutput.gzipMember(open, 1) : open);
    }
  }

  @Override
  public Object encode(Table batch) {
    CellLayout.Unpacked u = layout.unpack(batch, this::labelBytes);
    int rows = batch.rowCount();
    int n = kinds.length;
    // a first guess of the batch's size, capped (a wide table's batch would otherwise start at
    // hundreds of megabytes); the buffer grows as needed
    ByteBuf b = new ByteBuf((int) Math.min(1 << 22, Math.max(64L, (long) rows * 24 * n)));
    for (int r = 0; r < rows; r++) {
      if (array && r > 0) {
        b.put((byte) ',');
      }
      b.put((byte) '{');
      for (int c = 0; c < n; c++) {
        b.put(keys[c]);
        switch (kinds[c]) {
          case K_INT:
          case K_DEC: {
            double v = u.nums[c][r];
            if (!Double.isFinite(v)) {
              b.put(NULL);
            } else if (kinds[c] == K_INT) {
              CsvSink.putInteger(b, v);
            } else {
              CsvSink.putDecimal(b, v, layout.scales[c], layout.fixed[c]);
            }
            break;
          }
          case K_FMT: {
            double v = u.nums[c][r];
            if (Double.isFinite(v)) {
              putString(b, CsvSink.formatNumber(v, layout.formats[c]));
            } else {
              b.put(NULL);
            }
            break;
          }
          case K_DATE: {
            double v = u.nums[c][r];
            if (Double.isFinite(v)) {
              // a date pattern writes no quote or backslash, so its bytes need no escaping
              b.put((byte) '"');
              b.ensure(64);
              layout.patterns[c].format(v, b);
              b.put((byte) '"');
            } else {
              b.put(NULL);
            }
            break;
          }
          case K_CODES: {
            int code = u.codes[c][r];
            b.put(code < 0 ? NULL : u.labels[c][code]);
            break;
          }
          default: {
            String s = u.strs[c].get(r);
            if (s == null) {
              b.put(NULL);
            } else {
              putString(b, s);
            }
            break;
          }
        }
      }
      b.put((byte) '}');
      if (!array) {
        b.put((byte) '\n');
      }
    }
    if (b.len == 0) {
      return new byte[0]; // an empty batch writes nothing (not even a separator)
    }
    return gzip ? ByteOutput.gzipMember(b.buf, b.len) : b.toArray();
  }

  /** Each level as a JSON value: a string, or a literal for a true/false boolean column. */
  private byte[][] labelBytes(int c, List<String> levels) {
    byte[][] out = new byte[levels.size()][];
    for (int i = 0; i < out.length; i++) {
      String s = levels.get(i);
      if (literal[c]) {
        out[i] = s.toLowerCase(Locale.ROOT).equals("true") ? "true".getBytes(
            java.nio.charset.StandardCharsets.US_ASCII)
            : "false".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      } else {
        ByteBuf b = new ByteBuf(s.length() + 2);
        putString(b, s);
        out[i] = b.toArray();
      }
    }
    return out;
  }

  /** {@code s} as a JSON string: quotes, backslashes and control characters escaped. */
  static void putString(ByteBuf b, String s) {
    b.put((byte) '"');
    int from = 0;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char ch = s.charAt(i);
      if (ch == '"' || ch == '\\' || ch < 0x20) {
        if (i > from) {
          b.putUtf8(s.substring(from, i));
        }
        switch (ch) {
          case '"' -> b.putAscii("\\\"");
          case '\\' -> b.putAscii("\\\\");
          case '\n' -> b.putAscii("\\n");
          case '\r' -> b.putAscii("\\r");
          case '\t' -> b.putAscii("\\t");
          default -> b.putAscii(String.format(Locale.ROOT, "\\u%04x", (int) ch));
        }
        from = i + 1;
      }
    }
    if (from < n) {
      b.putUtf8(from == 0 ? s : s.substring(from));
    }
    b.put((byte) '"');
  }

  @Override
  public void write(Object encoded) {
    byte[] bytes = (byte[]) encoded;
    if (bytes.length == 0) {
      return;
    }
    if (array && !first) {
      emit(new byte[] {','});
    }
    first = false;
    out.write(bytes);
  }

  private void emit(byte[] b) {
    out.write(gzip ? ByteOutput.gzipMember(b, b.length) : b);
  }

  @Override
  public void commit() {
    if (out.committed()) {
      return;
    }
    if (array) {
      emit(new byte[] {']', '\n'});
    }
    out.commit();
  }

  @Override
  public void close() {
    out.close();
  }
}
