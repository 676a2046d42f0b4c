package dev.ersatz.privacy.testing;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A small CSV loader and writer for tests and the benchmark main (ersatz-io is not a dependency
 * of this module). Integers and decimals become {@code Numbers}, everything else
 * {@code Codes}; the empty cell is missing.
 */
public final class TestCsv {
  private TestCsv() {}

  /** Reads a CSV (gzip when the name ends in .gz) with a header row. */
  public static Table read(Path file) {
    List<String> header = null;
    List<List<String>> cols = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        CsvReader<CsvRecord> csv = CsvReader.builder().ofCsvRecord(r)) {
      for (CsvRecord rec : csv) {
        if (header == null) {
          header = rec.getFields();
          for (int i = 0; i < header.size(); i++) {
            cols.add(new ArrayList<>());
          }
          continue;
        }
        for (int i = 0; i < header.size(); i++) {
          cols.get(i).add(i < rec.getFieldCount() ? rec.getField(i) : "");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Column> columns = new ArrayList<>();
    List<ColumnData> data = new ArrayList<>();
    for (int i = 0; i < header.size(); i++) {
      List<String> v = cols.get(i);
      boolean integer = true;
      boolean decimal = true;
      int scale = 0;
      for (String s : v) {
        if (s.isEmpty()) {
          continue;
        }
        if (integer) {
          try {
            Long.parseLong(s);
          } catch (NumberFormatException e) {
            integer = false;
          }
        }
        if (!integer) {
          try {
            BigDecimal b = new BigDecimal(s);
            scale = Math.max(scale, Math.max(0, b.scale()));
          } catch (NumberFormatException e) {
            decimal = false;
            break;
          }
        }
      }
      if (integer || decimal) {
        double[] x = new double[v.size()];
        for (int r = 0; r < x.length; r++) {
          x[r] = v.get(r).isEmpty() ? Double.NaN : Double.parseDouble(v.get(r));
        }
        columns.add(Column.of(header.get(i), integer ? ColumnType.Numeric.ofInteger()
            : ColumnType.Numeric.ofDecimal(Math.min(12, scale), false)));
        data.add(ColumnData.Numbers.adopt(x));
      } else {
        Map<String, Integer> idx = new HashMap<>();
        List<String> levels = new ArrayList<>();
        int[] codes = new int[v.size()];
        for (int r = 0; r < codes.length; r++) {
          String s = v.get(r);
          if (s.isEmpty()) {
            codes[r] = -1;
          } else {
            Integer c = idx.get(s);
            if (c == null) {
              c = levels.size();
              idx.put(s, c);
              levels.add(s);
            }
            codes[r] = c;
          }
        }
        columns.add(Column.of(header.get(i), new ColumnType.Categorical()));
        data.add(ColumnData.Codes.adopt(codes, levels));
      }
    }
    return Table.of(Schema.of(columns), data);
  }

  /** A CSV writer that appends batches; call {@link #close()} to rename into place. */
  public static final class Out implements AutoCloseable {
    private final Path target;
    private final Path tmp;
    private final Writer w;
    private final CsvWriter csv;
    private boolean header;

    public Out(Path target) {
      try {
        this.target = target;
        this.tmp = target.resolveSibling(target.getFileName() + ".tmp");
        this.w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(tmp),
            StandardCharsets.UTF_8), 1 << 16);
        this.csv = CsvWriter.builder().build(w);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public void write(Table t) {
      Schema s = t.schema();
      if (!header) {
        csv.writeRecord(s.names());
        header = true;
      }
      String[] row = new String[s.size()];
      for (int r = 0; r < t.rowCount(); r++) {
        for (int c = 0; c < s.size(); c++) {
          row[c] = cell(s.column(c), t.column(c), r);
        }
        csv.writeRecord(row);
      }
    }

    @Override
    public void close() {
      try {
        csv.close();
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static String cell(Column col, ColumnData d, int r) {
    if (d.isMissing(r)) {
      return col.missingToken();
    }
    if (d instanceof ColumnData.Numbers n) {
      double v = n.get(r);
      ColumnType t = col.type();
      if (t instanceof ColumnType.Numeric num && num.integer()) {
        return Long.toString((long) v);
      }
      int scale = t instanceof ColumnType.Numeric num ? num.scale() : 0;
      return new BigDecimal(v).setScale(scale, java.math.RoundingMode.HALF_UP)
          .stripTrailingZeros().toPlainString();
    }
    if (d instanceof ColumnData.Codes c) {
      return c.get(r);
    }
    return ((ColumnData.Strings) d).get(r);
  }
}
