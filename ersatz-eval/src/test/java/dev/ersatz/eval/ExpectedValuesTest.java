package dev.ersatz.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ersatz.core.json.Json;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.table.Table;
import dev.ersatz.eval.drift.Drift;
import dev.ersatz.eval.drift.DriftReport;
import dev.ersatz.eval.drift.Stats;
import dev.ersatz.eval.fidelity.Fidelity;
import dev.ersatz.eval.fidelity.FidelityReport;
import dev.ersatz.eval.privacy.DistanceSpace;
import dev.ersatz.eval.privacy.NearestIndex;
import dev.ersatz.eval.utility.Metrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every metric against values computed independently by
 * {@code src/test/python/expected_values.py} (numpy/scipy/pandas/scikit-learn) on the fixture
 * tables beside it; deterministic, so no false failures.
 */
class ExpectedValuesTest {
  static final double EPS = 1e-9;
  static Map<String, Object> exp;
  static Table real;
  static Table synthetic;
  static Aligned data;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void load() throws Exception {
    Path res = Path.of("src/test/resources");
    exp = (Map<String, Object>) Json.parse(Files.readString(
        res.resolve("expected/fixture_expected.json"), StandardCharsets.UTF_8));
    real = CsvTables.read(res.resolve("fixtures/real.csv"));
    synthetic = CsvTables.read(res.resolve("fixtures/synthetic.csv"));
    data = Aligned.of(List.of("real", "synthetic"), List.of(real, synthetic), Map.of(),
        new ArrayList<>());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o, String key) {
    return (Map<String, Object>) ((Map<String, Object>) o).get(key);
  }

  static double d(Object o) {
    return ((Number) o).doubleValue();
  }

  @SuppressWarnings("unchecked")
  static double[] arr(Object o) {
    return ((List<Object>) o).stream().mapToDouble(ExpectedValuesTest::d).toArray();
  }

  @Test
  void kindsFollowTheAutoRule() {
    assertThat(data.names()).containsExactly("num1", "num2", "few", "cat1", "cat2");
    assertThat(data.continuous(0)).isTrue();
    assertThat(data.continuous(1)).isTrue();
    // "few" has 5 distinct numbers in the real table: categorical; "1.0" aligns with "1"
    assertThat(data.continuous(2)).isFalse();
    assertThat(data.levels(2)).contains("0", "1", "2", "3", "4", "5").doesNotContain("1.0");
  }

  @Test
  @SuppressWarnings("unchecked")
  void qualityMatchesSdmetricsDefinitions() {
    FidelityReport f = Fidelity.compare(data, 1, RandomSource.of(1));
    Map<String, Object> q = map(exp, "quality");
    Map<String, Object> shapes = map(q, "column_shapes");
    for (FidelityReport.ColumnShape s : f.shapes()) {
      assertThat(s.score()).as(s.column()).isCloseTo(d(shapes.get(s.column())), within(EPS));
    }
    List<Object> pairs = (List<Object>) q.get("column_pair_trends");
    assertThat(f.pairs()).hasSize(pairs.size());
    for (int i = 0; i < pairs.size(); i++) {
      Map<String, Object> p = (Map<String, Object>) pairs.get(i);
      FidelityReport.PairTrend t = f.pairs().get(i);
      assertThat(t.column1()).isEqualTo(p.get("column_1"));
      assertThat(t.column2()).isEqualTo(p.get("column_2"));
      assertThat(t.score()).as(t.column1() + "~" + t.column2())
          .isCloseTo(d(p.get("score")), within(EPS));
      if (p.containsKey("real_corr")) {
        assertThat(t.realCorrelation()).isCloseTo(d(p.get("real_corr")), within(EPS));
        assertThat(t.otherCorrelation()).isCloseTo(d(p.get("synth_corr")), within(EPS));
      }
    }
    assertThat(f.columnShapes()).isCloseTo(d(q.get("column_shapes_mean")), within(EPS));
    assertThat(f.columnPairTrends()).isCloseTo(d(q.get("column_pair_trends_mean")),
        within(EPS));
    assertThat(f.quality()).isCloseTo(d(q.get("quality")), within(EPS));
  }

  @Test
  void binnedAccuracyMatches() {
    FidelityReport f = Fidelity.compare(data, 1, RandomSource.of(1));
    Map<String, Object> a = map(exp, "accuracy");
    double[] uni = arr(a.get("univariate"));
    for (int i = 0; i < uni.length; i++) {
      assertThat(f.shapes().get(i).accuracy()).isCloseTo(uni[i], within(EPS));
    }
    double[] bi = arr(a.get("bivariate"));
    for (int i = 0; i < bi.length; i++) {
      assertThat(f.pairs().get(i).accuracy()).isCloseTo(bi[i], within(EPS));
    }
    assertThat(f.univariateAccuracy()).isCloseTo(d(a.get("univariate_mean")), within(EPS));
    assertThat(f.bivariateAccuracy()).isCloseTo(d(a.get("bivariate_mean")), within(EPS));
    assertThat(f.triplesUsed()).isEqualTo(10);
    assertThat(f.trivariateAccuracy()).isCloseTo(d(a.get("trivariate_mean")), within(EPS));
  }

  @Test
  void missingRatesAndInventedValues() {
    FidelityReport f = Fidelity.compare(data, 1, RandomSource.of(1));
    Map<String, Object> m = map(exp, "missing");
    Map<String, Object> inv = map(exp, "invented");
    for (int i = 0; i < f.missing().size(); i++) {
      FidelityReport.MissingRate r = f.missing().get(i);
      double[] e = arr(m.get(r.column()));
      assertThat(r.real()).isCloseTo(e[0], within(EPS));
      assertThat(r.other()).isCloseTo(e[1], within(EPS));
      FidelityReport.Invented v = f.invented().get(i);
      double[] ei = arr(inv.get(v.column()));
      assertThat(v.newLevels()).as(v.column()).isEqualTo((int) ei[0]);
      assertThat(v.rows()).as(v.column()).isEqualTo((long) ei[1]);
    }
    assertThat(f.invented().get(4).newLevels()).isEqualTo(1); // cat2's "w"
  }

  @Test
  void driftMatchesScipy() {
    DriftReport r = Drift.compare(real, synthetic);
    Map<String, Object> e = map(exp, "drift");
    for (DriftReport.ColumnDrift c : r.columns()) {
      Map<String, Object> x = map(e, c.column());
      assertThat(c.psi()).as(c.column()).isCloseTo(d(x.get("psi")), within(EPS));
      if (x.containsKey("ks")) {
        assertThat(c.ksStatistic()).isCloseTo(d(x.get("ks")), within(EPS));
        assertThat(c.ksPValue()).isCloseTo(d(x.get("ks_p")), within(EPS));
      } else {
        assertThat(c.chi2Statistic()).isCloseTo(d(x.get("chi2")), within(1e-8));
        assertThat(c.chi2PValue()).isCloseTo(d(x.get("chi2_p")), within(EPS));
        assertThat(c.chi2Dof()).isEqualTo((int) d(x.get("dof")));
      }
    }
  }

  @Test
  void exactNearestNeighboursMatchBruteForce() {
    DistanceSpace space = DistanceSpace.of(data, 0);
    NearestIndex idx = NearestIndex.of(space.embed(data, 0));
    NearestIndex.Neighbours nb = idx.query(space.embed(data, 1), 2, true);
    Map<String, Object> e = map(exp, "nearest");
    double[] first = arr(e.get("first"));
    double[] second = arr(e.get("second"));
    for (int i = 0; i < first.length; i++) {
      assertThat(nb.first()[i]).as("row " + i).isCloseTo(first[i], within(EPS));
      assertThat(nb.second()[i]).as("row " + i).isCloseTo(second[i], within(EPS));
    }
    NearestIndex.Neighbours one = idx.query(space.embed(data, 1), 1, false);
    assertThat(one.first()).containsExactly(nb.first());
  }

  @Test
  void classificationAndRegressionMetricsMatchSklearn() {
    Map<String, Object> m = map(exp, "metrics");
    int[] y = toInt(arr(m.get("y")));
    double[] score = arr(m.get("score"));
    int[] pred = new int[y.length];
    for (int i = 0; i < y.length; i++) {
      pred[i] = score[i] >= 0.5 ? 1 : 0;
    }
    assertThat(Metrics.rocAuc(y, score)).isCloseTo(d(m.get("auc")), within(EPS));
    assertThat(Metrics.accuracy(y, pred)).isCloseTo(d(m.get("accuracy")), within(EPS));
    assertThat(Metrics.macroF1(y, pred)).isCloseTo(d(m.get("macro_f1")), within(EPS));
    int[] ym = toInt(arr(m.get("ym")));
    int[] pm = toInt(arr(m.get("pm")));
    assertThat(Metrics.accuracy(ym, pm)).isCloseTo(d(m.get("multi_accuracy")), within(EPS));
    assertThat(Metrics.macroF1(ym, pm)).isCloseTo(d(m.get("multi_macro_f1")), within(EPS));
    assertThat(Metrics.r2(arr(m.get("yr")), arr(m.get("pr")))).isCloseTo(d(m.get("r2")),
        within(EPS));
    assertThat(Metrics.mae(arr(m.get("yr")), arr(m.get("pr")))).isCloseTo(d(m.get("mae")),
        within(EPS));
    assertThat(Metrics.spearman(arr(m.get("imp_a")), arr(m.get("imp_b"))))
        .isCloseTo(d(m.get("spearman")), within(EPS));
  }

  @Test
  @SuppressWarnings("unchecked")
  void distributionTailsMatchScipy() {
    Map<String, Object> s = map(exp, "stats");
    for (Map.Entry<String, Object> e : map(s, "kolmogorov_sf").entrySet()) {
      assertThat(Stats.kolmogorovSf(Double.parseDouble(e.getKey()))).as(e.getKey())
          .isCloseTo(d(e.getValue()), within(1e-12));
    }
    for (Object o : (List<Object>) s.get("chi2_sf")) {
      double[] v = arr(o);
      assertThat(Stats.chiSquareSf(v[0], (int) v[1])).isCloseTo(v[2], within(1e-12));
    }
  }

  private static int[] toInt(double[] v) {
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (int) v[i];
    }
    return out;
  }
}
