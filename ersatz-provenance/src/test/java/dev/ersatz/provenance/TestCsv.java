package dev.ersatz.provenance;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import dev.ersatz.core.table.Tables;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A small CSV loader and writer for tests (ersatz-io is not a dependency of this module):
 * integer and decimal columns become {@code Numbers} with their decimal scale, all others
 * categorical {@code Codes}. Empty cells are missing.
 */
final class TestCsv {
  private TestCsv() {}

  /** The shared data folder, or null when absent. */
  static Path sharedData() {
    String p = System.getProperty("ersatz.shared.data", "../../shared/data");
    Path d = Path.of(p);
    return Files.isDirectory(d) ? d : null;
  }

  static Table read(Path file) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16)
            : raw;
        Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      return read(r);
    }
  }

  static Table parse(String csv) throws IOException {
    return read(new StringReader(csv));
  }

  static Table read(Reader r) throws IOException {
    List<String> header = null;
    List<String[]> rows = new ArrayList<>();
    try (CsvReader<CsvRecord> csv = CsvReader.builder().ofCsvRecord(r)) {
      for (CsvRecord rec : csv) {
        if (header == null) {
          header = rec.getFields();
        } else {
          rows.add(rec.getFields().toArray(new String[0]));
        }
      }
    }
    int m = header.size();
    List<Column> cols = new ArrayList<>();
    List<ColumnData> data = new ArrayList<>();
    for (int j = 0; j < m; j++) {
      boolean numeric = true;
      boolean integer = true;
      int scale = 0;
      for (String[] row : rows) {
        String s = row[j];
        if (s.isEmpty()) {
          continue;
        }
        try {
          BigDecimal bd = new BigDecimal(s);
          if (bd.scale() > 0) {
            integer = false;
            scale = Math.max(scale, bd.scale());
          }
        } catch (NumberFormatException e) {
          numeric = false;
          break;
        }
      }
      if (numeric) {
        double[] v = new double[rows.size()];
        for (int i = 0; i < v.length; i++) {
          String s = rows.get(i)[j];
          v[i] = s.isEmpty() ? Double.NaN : Double.parseDouble(s);
        }
        cols.add(Column.of(header.get(j), integer ? ColumnType.Numeric.ofInteger()
            : ColumnType.Numeric.ofDecimal(Math.min(scale, 12), false)));
        data.add(ColumnData.Numbers.adopt(v));
      } else {
        Map<String, Integer> levels = new LinkedHashMap<>();
        int[] codes = new int[rows.size()];
        for (int i = 0; i < codes.length; i++) {
          String s = rows.get(i)[j];
          codes[i] = s.isEmpty() ? -1 : levels.computeIfAbsent(s, k -> levels.size());
        }
        cols.add(Column.of(header.get(j), new ColumnType.Categorical()));
        data.add(ColumnData.Codes.adopt(codes, new ArrayList<>(levels.keySet())));
      }
    }
    return Table.of(Schema.of(cols), data);
  }

  static String cell(Table t, int j, int r) {
    ColumnData d = t.column(j);
    if (d instanceof ColumnData.Numbers) {
      double v = ((ColumnData.Numbers) d).get(r);
      if (Double.isNaN(v)) {
        return "";
      }
      ColumnType.Numeric type = (ColumnType.Numeric) t.schema().column(j).type();
      if (type.integer()) {
        return Long.toString(Math.round(v));
      }
      return BigDecimal.valueOf(v).setScale(type.scale(), java.math.RoundingMode.HALF_EVEN)
          .stripTrailingZeros().toPlainString();
    }
    if (d instanceof ColumnData.Codes) {
      String s = ((ColumnData.Codes) d).get(r);
      return s == null ? "" : s;
    }
    String s = ((ColumnData.Strings) d).get(r);
    return s == null ? "" : s;
  }

  static void write(Table t, Writer w) throws IOException {
    CsvWriter csv = CsvWriter.builder().build(w);
    csv.writeRecord(t.schema().names());
    String[] row = new String[t.schema().size()];
    for (int r = 0; r < t.rowCount(); r++) {
      for (int j = 0; j < row.length; j++) {
        row[j] = cell(t, j, r);
      }
      csv.writeRecord(row);
    }
    csv.flush();
  }

  static void write(Table t, Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      write(t, w);
    }
  }

  /** Writes and re-reads the table as CSV text (types re-inferred, as a user's tool would). */
  static Table roundTrip(Table t) throws IOException {
    StringWriter w = new StringWriter();
    write(t, w);
    return parse(w.toString());
  }

  /** Keeps only the columns at {@code keep}. */
  static Table selectColumns(Table t, int[] keep) {
    List<Column> cols = new ArrayList<>();
    List<ColumnData> data = new ArrayList<>();
    for (int j : keep) {
      cols.add(t.schema().column(j));
      data.add(t.column(j));
    }
    return Table.of(Schema.of(cols), data);
  }

  /** A shuffled random subset of {@code n} rows. */
  static Table sampleRows(Table t, int n, RandomSource rng) {
    int[] idx = new int[t.rowCount()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    rng.shuffle(idx);
    return Tables.select(t, java.util.Arrays.copyOf(idx, Math.min(n, idx.length)));
  }

  /** Drops a random half (rounded down) of the columns, keeping order. */
  static Table dropHalfColumns(Table t, RandomSource rng) {
    int m = t.schema().size();
    int[] idx = new int[m];
    for (int i = 0; i < m; i++) {
      idx[i] = i;
    }
    rng.shuffle(idx);
    int[] keep = java.util.Arrays.copyOf(idx, m - m / 2);
    java.util.Arrays.sort(keep);
    return selectColumns(t, keep);
  }

  /**
   * An un-watermarked synthetic table: every column resampled independently from the real one
   * (a deliberately naive "independent marginals" generator, standing in for a real generator
   * that is not on this branch).
   */
  static Table independentMarginals(Table real, int rows, RandomSource rng) {
    List<ColumnData> data = new ArrayList<>();
    for (int j = 0; j < real.schema().size(); j++) {
      int[] idx = new int[rows];
      for (int i = 0; i < rows; i++) {
        idx[i] = rng.nextInt(real.rowCount());
      }
      Table one = selectColumns(real, new int[] {j});
      data.add(Tables.select(one, idx).column(0));
    }
    return Table.of(real.schema(), data);
  }
}
