package dev.ersatz.core.table;

import java.util.ArrayList;
import java.util.List;

/** Operations on whole tables: row selection and concatenation. */
public final class Tables {
  private Tables() {}

  /** The rows {@code rows[0], rows[1], ...} of {@code t}, in that order (repeats allowed). */
  public static Table select(Table t, int[] rows) {
    List<ColumnData> out = new ArrayList<>(t.schema().size());
    for (ColumnData d : t.columns()) {
      out.add(select(d, rows));
    }
    return Table.of(t.schema(), out);
  }

  static ColumnData select(ColumnData d, int[] rows) {
    if (d instanceof ColumnData.Numbers n) {
      double[] v = new double[rows.length];
      for (int i = 0; i < rows.length; i++) {
        v[i] = n.get(rows[i]);
      }
      return ColumnData.Numbers.adopt(v);
    }
    if (d instanceof ColumnData.Codes c) {
      int[] v = new int[rows.length];
      for (int i = 0; i < rows.length; i++) {
        v[i] = c.code(rows[i]);
      }
      return ColumnData.Codes.adopt(v, c.levels());
    }
    ColumnData.Strings s = (ColumnData.Strings) d;
    String[] v = new String[rows.length];
    for (int i = 0; i < rows.length; i++) {
      v[i] = s.get(rows[i]);
    }
    return ColumnData.Strings.adopt(v);
  }

  /**
   * Stacks tables with equal schemas. Categorical levels must be equal lists too (true for
   * batches of one model).
   */
  public static Table concat(List<Table> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("nothing to concatenate");
    }
    Table first = parts.get(0);
    int n = 0;
    for (Table p : parts) {
      if (!p.schema().equals(first.schema())) {
        throw new IllegalArgumentException("schemas differ");
      }
      n += p.rowCount();
    }
    List<ColumnData> out = new ArrayList<>();
    for (int c = 0; c < first.schema().size(); c++) {
      ColumnData d0 = first.column(c);
      int at = 0;
      if (d0 instanceof ColumnData.Numbers) {
        double[] v = new double[n];
        for (Table p : parts) {
          ColumnData.Numbers x = (ColumnData.Numbers) p.column(c);
          for (int r = 0; r < x.size(); r++) {
            v[at++] = x.get(r);
          }
        }
        out.add(ColumnData.Numbers.adopt(v));
      } else if (d0 instanceof ColumnData.Codes c0) {
        int[] v = new int[n];
        for (Table p : parts) {
          ColumnData.Codes x = (ColumnData.Codes) p.column(c);
          if (!x.levels().equals(c0.levels())) {
            throw new IllegalArgumentException("levels differ in column " + c);
          }
          for (int r = 0; r < x.size(); r++) {
            v[at++] = x.code(r);
          }
        }
        out.add(ColumnData.Codes.adopt(v, c0.levels()));
      } else {
        String[] v = new String[n];
        for (Table p : parts) {
          ColumnData.Strings x = (ColumnData.Strings) p.column(c);
          for (int r = 0; r < x.size(); r++) {
            v[at++] = x.get(r);
          }
        }
        out.add(ColumnData.Strings.adopt(v));
      }
    }
    return Table.of(first.schema(), out);
  }
}
