package dev.ersatz.models.trees;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.table.Table;
import dev.ersatz.models.PrivacySettings;
import dev.ersatz.models.codec.Frame;
import dev.ersatz.testkit.Fixtures;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Raking the trees' leaves to the real marginals. */
class RakingTest {
  private static final PrivacySettings K5 = new PrivacySettings(5);
  private static final int ROWS = 400;
  private static final int DRAWS = 200_000;

  private record Fit(Frame frame, Tree[][] trees) {}

  /** Trees as the default fit grows them (five members on half the rows), unraked. */
  private static Fit fit(long seed) {
    Table t = Fixtures.clinic(ROWS, seed);
    Frame frame = Frame.fit(t, K5);
    int[][] cells = frame.encode(t);
    int[] rows = IntStream.range(0, ROWS).toArray();
    TreesProvider.Bagging bag = new TreesProvider.Bagging(5, 0.5, 1.0, 4, true, 24);
    Tree[][] trees = TreesProvider.buildAll(frame, cells, rows, 10, 1.0, bag,
        RandomSource.of(seed));
    return new Fit(frame, trees);
  }

  /** Each column's sampled cell frequencies over many draws. */
  private static double[][] marginals(Fit f) {
    TreesModel m = new TreesModel(f.frame(), f.trees(), Map.of(), null);
    int d = f.frame().width();
    int[][] cells = new int[d][DRAWS];
    int[] none = new int[d];
    java.util.Arrays.fill(none, -1);
    m.sampleCells(DRAWS, none, cells, null, RandomSource.of(3));
    double[][] out = new double[d][];
    for (int j = 0; j < d; j++) {
      out[j] = new double[f.frame().codec(j).cells()];
      for (int c : cells[j]) {
        out[j][c] += 1.0 / DRAWS;
      }
    }
    return out;
  }

  /** Total variation distance of each column's sampled frequencies from the real ones. */
  private static double[] distances(Fit f) {
    double[][] got = marginals(f);
    double[] tv = new double[got.length];
    for (int j = 0; j < got.length; j++) {
      double[] p = f.frame().codec(j).probabilities();
      for (int c = 0; c < p.length; c++) {
        tv[j] += Math.abs(got[j][c] - p[c]) / 2;
      }
    }
    return tv;
  }

  @Test
  void sampledMarginalsComeCloserToTheRealOnes() {
    Fit before = fit(21);
    double[] tvBefore = distances(before);
    Fit after = fit(21);
    Raking.rake(after.frame(), after.trees(), new Booster[after.trees().length], 20_000,
        RandomSource.of(5));
    double[] tvAfter = distances(after);
    double sumBefore = 0;
    double sumAfter = 0;
    for (int j = 0; j < tvAfter.length; j++) {
      sumBefore += tvBefore[j];
      sumAfter += tvAfter[j];
      // 200,000 draws put about 0.002-0.005 of sampling noise on a column's distance
      assertThat(tvAfter[j]).as("column %d after raking", j).isLessThan(0.015);
    }
    assertThat(sumAfter).isLessThan(sumBefore / 2);
  }

  @Test
  void aCellALeafNeverGaveStaysImpossibleAndLeavesStayDistributions() {
    Fit f = fit(22);
    java.util.List<double[]> cums = new java.util.ArrayList<>();
    for (Tree[] e : f.trees()) {
      for (Tree t : e) {
        cums.add(t.cum.clone());
      }
    }
    Raking.rake(f.frame(), f.trees(), new Booster[f.trees().length], 5_000,
        RandomSource.of(6));
    int at = 0;
    for (Tree[] e : f.trees()) {
      for (Tree t : e) {
        double[] old = cums.get(at++);
        for (int i = 0; i < t.feature.length; i++) {
          if (t.feature[i] >= 0) {
            continue;
          }
          int o = t.offset[i];
          double belowOld = 0;
          double belowNew = 0;
          for (int c = 0; c < t.classes; c++) {
            double pOld = old[o + c] - belowOld;
            double pNew = t.cum[o + c] - belowNew;
            belowOld = old[o + c];
            belowNew = t.cum[o + c];
            assertThat(pNew).isGreaterThanOrEqualTo(0);
            if (pOld == 0) {
              assertThat(pNew).isZero();
            }
          }
          assertThat(t.cum[o + t.classes - 1]).isEqualTo(1.0);
        }
      }
    }
    assertThat(at).isEqualTo(cums.size());
  }

  @Test
  void rakingIsDeterministic() {
    Fit a = fit(23);
    Fit b = fit(23);
    Raking.rake(a.frame(), a.trees(), new Booster[a.trees().length], 5_000, RandomSource.of(7));
    Raking.rake(b.frame(), b.trees(), new Booster[b.trees().length], 5_000, RandomSource.of(7));
    for (int j = 0; j < a.trees().length; j++) {
      for (int m = 0; m < a.trees()[j].length; m++) {
        assertThat(a.trees()[j][m].cum).isEqualTo(b.trees()[j][m].cum);
      }
    }
  }
}
