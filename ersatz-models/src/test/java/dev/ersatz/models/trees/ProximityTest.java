package dev.ersatz.models.trees;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import dev.ersatz.core.table.Tables;
import dev.ersatz.models.PrivacySettings;
import dev.ersatz.models.codec.Frame;
import dev.ersatz.models.codec.NumericCodec;
import dev.ersatz.testkit.Fixtures;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The fit-time nearest-record search gives the brute-force distances of its definition. */
class ProximityTest {

  @Test
  void nearestDistancesMatchTheDefinitionOnMixedColumns() {
    for (Table t : new Table[] {Fixtures.clinic(700, 3), Fixtures.awkward(700, 5)}) {
      Frame frame = Frame.fit(t, new PrivacySettings(5));
      int[][] cells = frame.encode(t);
      Table query = Tables.select(t, IntStream.range(0, 200).toArray());
      Table ref = Tables.select(t, IntStream.range(200, 700).toArray());
      Proximity prox = new Proximity(frame, t);
      double[] fast = prox.nearest(prox.features(query, rows(cells, 0, 200)),
          prox.features(ref, rows(cells, 200, 700)));
      for (int q = 0; q < 200; q++) {
        double best = Double.MAX_VALUE;
        for (int r = 200; r < 700; r++) {
          best = Math.min(best, distance(frame, t, cells, q, r));
        }
        assertThat(fast[q]).as("query row %d", q).isCloseTo(best,
            org.assertj.core.data.Offset.offset(1e-12));
      }
    }
  }

  @Test
  void shareIsOneHalfWhenTrainAndFreshAreTheSameRows() {
    Table t = Fixtures.clinic(300, 9);
    Frame frame = Frame.fit(t, new PrivacySettings(5));
    Proximity prox = new Proximity(frame, t);
    Proximity.Points p = prox.features(t, frame.encode(t));
    assertThat(prox.share(p, p, p)).isEqualTo(0.5);
  }

  /**
   * Rows drawn column by column keep each column's values (a number with its missing flag) but
   * not which values went together: copies of the source rows are few.
   */
  @Test
  void columnsAloneKeepEachColumnAndLoseTheJoint() {
    Table t = Fixtures.clinic(400, 4);
    Frame frame = Frame.fit(t, new PrivacySettings(5));
    Proximity prox = new Proximity(frame, t);
    Proximity.Points from = prox.features(t, frame.encode(t));
    Proximity.Points alone = Proximity.columnsAlone(from, 4000,
        dev.ersatz.core.random.RandomSource.of(1));
    assertThat(alone.n()).isEqualTo(4000);
    for (int c = 0; c < from.cat().length; c++) {
      java.util.Set<Integer> seen = new java.util.HashSet<>();
      for (int v : from.cat()[c]) {
        seen.add(v);
      }
      for (int v : alone.cat()[c]) {
        assertThat(seen).contains(v);
      }
    }
    int w2 = from.num().length / from.n();
    for (int q = 0; q < w2; q += 2) {
      java.util.Set<String> pairs = new java.util.HashSet<>();
      for (int r = 0; r < from.n(); r++) {
        pairs.add(from.num()[r * w2 + q] + "/" + from.num()[r * w2 + q + 1]);
      }
      for (int r = 0; r < alone.n(); r++) {
        assertThat(pairs).contains(alone.num()[r * w2 + q] + "/" + alone.num()[r * w2 + q + 1]);
      }
    }
    // whole source rows come back rarely: their nearest source row is seldom at distance 0
    double[] d = prox.nearest(alone, from);
    long copies = java.util.Arrays.stream(d).filter(x -> x == 0).count();
    assertThat(copies).isLessThan(40);
  }

  /** Squared distance between rows a and b as documented on {@link Proximity}. */
  private static double distance(Frame frame, Table t, int[][] cells, int a, int b) {
    double d = 0;
    for (int j = 0; j < frame.width(); j++) {
      if (frame.codec(j) instanceof NumericCodec nc) {
        ColumnData.Numbers col = (ColumnData.Numbers)
            t.column(frame.schema().require(frame.column(j).name(), "test"));
        if (frame.column(j).type() instanceof ColumnType.Numeric && distinct(col) <= 10) {
          double x = col.get(a);
          double y = col.get(b);
          d += (Double.isNaN(x) && Double.isNaN(y)) || x == y ? 0 : 1;
          continue;
        }
        double range = nc.upper() - nc.lower();
        double[] v = new double[2];
        double[] m = new double[2];
        int[] rows = {a, b};
        for (int i = 0; i < 2; i++) {
          double x = col.get(rows[i]);
          if (Double.isNaN(x)) {
            m[i] = 1;
          } else {
            x = Math.min(nc.upper(), Math.max(nc.lower(), x));
            v[i] = range > 0 ? (x - nc.lower()) / range : 0;
          }
        }
        d += (v[0] - v[1]) * (v[0] - v[1]) + (m[0] - m[1]) * (m[0] - m[1]);
      } else if (cells[j][a] != cells[j][b]) {
        d += 1;
      }
    }
    return d;
  }

  private static long distinct(ColumnData.Numbers col) {
    return IntStream.range(0, col.size()).mapToDouble(col::get).filter(x -> !Double.isNaN(x))
        .map(x -> x == 0 ? 0.0 : x).distinct().count();
  }

  @Test
  void aNumberColumnOfFewValuesIsComparedAsCategories() {
    // children: 0 to 3, so a difference of one child costs a whole mismatch, as in the
    // evaluation; income has many values and costs its scaled difference
    int n = 400;
    double[] children = new double[n];
    double[] income = new double[n];
    for (int r = 0; r < n; r++) {
      children[r] = r % 4;
      income[r] = 1000 + r;
    }
    Table t = Table.of(Schema.of(List.of(
            Column.of("children", ColumnType.Numeric.ofInteger()),
            Column.of("income", ColumnType.Numeric.ofInteger()))),
        List.of(ColumnData.Numbers.adopt(children), ColumnData.Numbers.adopt(income)));
    Frame frame = Frame.fit(t, new PrivacySettings(5));
    Proximity prox = new Proximity(frame, t);
    int[][] cells = frame.encode(t);
    Proximity.Points p = prox.features(t, cells);
    Proximity.Points first = prox.features(Tables.select(t, new int[] {0}), rows(cells, 0, 1));
    Proximity.Points second = prox.features(Tables.select(t, new int[] {1}), rows(cells, 1, 2));
    double[] d = prox.nearest(first, second);
    NumericCodec nc = (NumericCodec) frame.codec(1);
    double step = 1 / (nc.upper() - nc.lower());
    assertThat(d[0]).isCloseTo(1 + step * step, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(p.cat()).hasNumberOfRows(1);
  }

  private static int[][] rows(int[][] cells, int from, int to) {
    int[][] out = new int[cells.length][];
    for (int j = 0; j < cells.length; j++) {
      out[j] = java.util.Arrays.copyOfRange(cells[j], from, to);
    }
    return out;
  }
}
