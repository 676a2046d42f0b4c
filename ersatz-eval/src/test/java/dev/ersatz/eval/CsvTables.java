package dev.ersatz.eval;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A test-only CSV reader with a simple type inference (ersatz-io is the real one): a column is
 * numeric when every non-empty cell is a number, categorical otherwise; empty cells are missing.
 */
public final class CsvTables {
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private CsvTables() {}

  public static Table read(Path path) throws IOException {
    List<String> header;
    List<List<String>> cols = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(path);
        InputStream in = path.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        Reader r = new InputStreamReader(in, StandardCharsets.UTF_8);
        CsvReader<CsvRecord> csv = CsvReader.builder().ofCsvRecord(r)) {
      var it = csv.iterator();
      header = it.next().getFields();
      for (int i = 0; i < header.size(); i++) {
        cols.add(new ArrayList<>());
      }
      while (it.hasNext()) {
        List<String> f = it.next().getFields();
        for (int i = 0; i < header.size(); i++) {
          cols.get(i).add(i < f.size() ? f.get(i) : "");
        }
      }
    }
    List<Column> schema = new ArrayList<>();
    List<ColumnData> data = new ArrayList<>();
    for (int i = 0; i < header.size(); i++) {
      List<String> v = cols.get(i);
      boolean numeric = true;
      boolean any = false;
      for (String s : v) {
        if (!s.isEmpty()) {
          any = true;
          if (!NUMBER.matcher(s.trim()).matches()) {
            numeric = false;
            break;
          }
        }
      }
      if (numeric && any) {
        double[] x = new double[v.size()];
        for (int r = 0; r < x.length; r++) {
          x[r] = v.get(r).isEmpty() ? Double.NaN : Double.parseDouble(v.get(r).trim());
        }
        schema.add(Column.of(header.get(i), ColumnType.Numeric.ofDecimal(6, false)));
        data.add(ColumnData.Numbers.adopt(x));
      } else {
        Map<String, Integer> dict = new LinkedHashMap<>();
        int[] k = new int[v.size()];
        for (int r = 0; r < k.length; r++) {
          String s = v.get(r);
          k[r] = s.isEmpty() ? -1 : dict.computeIfAbsent(s, z -> dict.size());
        }
        schema.add(Column.of(header.get(i), new ColumnType.Categorical()));
        data.add(ColumnData.Codes.adopt(k, new ArrayList<>(dict.keySet())));
      }
    }
    return Table.of(Schema.of(schema), data);
  }

  /** The shared data folder, or null when absent. */
  public static Path sharedData() {
    String p = System.getProperty("ersatz.shared.data");
    if (p == null) {
      return null;
    }
    Path d = Path.of(p);
    return Files.isDirectory(d) ? d : null;
  }
}
