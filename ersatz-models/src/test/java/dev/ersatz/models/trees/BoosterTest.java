package dev.ersatz.models.trees;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.core.random.RandomSource;
import org.junit.jupiter.api.Test;

/** The boosted conditional of two-cell columns. */
class BoosterTest {
  private static final int N = 4000;

  /**
   * Columns: a 6-level category, a 20-cell ordered number, a noise column, then the label with
   * log-odds {@code effect[category] + (number - 10) / 8}: a known additive truth.
   */
  private static double truth(int[][] cells, int r) {
    double[] effect = {-2, -1, 0, 0.5, 1, 2};
    double logit = effect[cells[0][r]] + 0.125 * (cells[1][r] - 10);
    return 1 / (1 + Math.exp(-logit));
  }

  private static int[][] table(long seed) {
    RandomSource rng = RandomSource.of(seed);
    int[][] cells = new int[4][N];
    for (int r = 0; r < N; r++) {
      cells[0][r] = rng.nextInt(6);
      cells[1][r] = rng.nextInt(20);
      cells[2][r] = rng.nextInt(5);
      cells[3][r] = rng.nextDouble() < truth(cells, r) ? 1 : 0;
    }
    return cells;
  }

  private static final int[] CARD = {6, 20, 5, 2};
  private static final boolean[] ORDERED = {false, true, false, false};

  private static int[] all(int n) {
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = i;
    }
    return rows;
  }

  @Test
  void learnsAKnownDependencyBetterThanTheMarginal() {
    int[][] train = table(1);
    Booster b = Booster.fit(train, CARD, ORDERED, 3, all(N), 20);
    int[][] test = table(2);
    double lossModel = 0;
    double lossPrior = 0;
    double prior = 0;
    for (int r = 0; r < N; r++) {
      prior += train[3][r];
    }
    prior /= N;
    double err = 0;
    double errPrior = 0;
    for (int r = 0; r < N; r++) {
      int[] row = {test[0][r], test[1][r], test[2][r]};
      double p = b.probability(row, 1);
      int y = test[3][r];
      lossModel -= Math.log(y == 1 ? p : 1 - p);
      lossPrior -= Math.log(y == 1 ? prior : 1 - prior);
      err += Math.abs(p - truth(test, r));
      errPrior += Math.abs(prior - truth(test, r));
    }
    // the truth's own log-loss on this sample is about 0.55 per row, the prior's about 0.69
    assertThat(lossModel / N).isLessThan(lossPrior / N - 0.1);
    // mean |p - true p|: about 0.075 (a per-cell average of ~33 rows would give about 0.07)
    // against 0.23 for the marginal
    assertThat(err).as("mean |p - true p| against the marginal's").isLessThan(errPrior / 2);
    // averaged over the rows, the prediction moves with the category, not with the noise
    double[] byCat = new double[6];
    int[] nCat = new int[6];
    double[] byNoise = new double[5];
    int[] nNoise = new int[5];
    for (int r = 0; r < N; r++) {
      double p = b.probability(new int[] {test[0][r], test[1][r], test[2][r]}, 1);
      byCat[test[0][r]] += p;
      nCat[test[0][r]]++;
      byNoise[test[2][r]] += p;
      nNoise[test[2][r]]++;
    }
    assertThat(spread(byCat, nCat)).isGreaterThan(0.5);
    assertThat(spread(byNoise, nNoise)).isLessThan(0.05);
  }

  private static double spread(double[] sum, int[] n) {
    double lo = 1;
    double hi = 0;
    for (int i = 0; i < sum.length; i++) {
      lo = Math.min(lo, sum[i] / n[i]);
      hi = Math.max(hi, sum[i] / n[i]);
    }
    return hi - lo;
  }

  @Test
  void everyLeafHoldsAtLeastTheMinimumRows() {
    int[][] train = table(3);
    int minLeaf = 50;
    Booster b = Booster.fit(train, CARD, ORDERED, 3, all(N), minLeaf);
    int[] reach = new int[b.feature.length];
    for (int r = 0; r < N; r++) {
      for (int root : b.roots) {
        int nd = root;
        while (b.feature[nd] >= 0) {
          nd = b.goLeft[b.offset[nd] + train[b.feature[nd]][r]] != 0 ? b.left[nd] : b.right[nd];
        }
        reach[nd]++;
      }
    }
    for (int i = 0; i < reach.length; i++) {
      if (b.feature[i] < 0) {
        assertThat(reach[i]).as("rows in leaf %d", i).isGreaterThanOrEqualTo(minLeaf);
      }
    }
    assertThat(b.trees()).isEqualTo(Booster.ROUNDS);
  }

  @Test
  void crossValidationStopsEarlyOnNoiseAndKeepsTreesForSignal() {
    int[][] signal = table(9);
    int[][] noise = table(9);
    RandomSource rng = RandomSource.of(10);
    for (int r = 0; r < N; r++) {
      noise[3][r] = rng.nextDouble() < 0.3 ? 1 : 0;
    }
    Booster.Shape cv = Booster.fullCrossValidated(5);
    Booster onNoise = Booster.fit(noise, CARD, ORDERED, 3, all(N), 20, cv);
    Booster onSignal = Booster.fit(signal, CARD, ORDERED, 3, all(N), 20, cv);
    // a label independent of its predictors: each tree only fits noise, so the held-out loss is
    // least after a handful; an additive truth of modest strength needs many shrunk trees
    assertThat(onNoise.trees()).isLessThanOrEqualTo(10);
    assertThat(onSignal.trees()).isGreaterThan(20).isLessThanOrEqualTo(Booster.ROUNDS);
    Booster again = Booster.fit(signal, CARD, ORDERED, 3, all(N), 20, cv);
    assertThat(again.value).isEqualTo(onSignal.value);
    assertThat(Booster.fit(signal, CARD, ORDERED, 3, all(N), 20).trees())
        .isEqualTo(Booster.ROUNDS);
  }

  @Test
  void theFitDependsOnTheDataAlone() {
    int[][] train = table(4);
    Booster a = Booster.fit(train, CARD, ORDERED, 3, all(N), 20);
    Booster b = Booster.fit(train, CARD, ORDERED, 3, all(N), 20);
    assertThat(a.value).isEqualTo(b.value);
    assertThat(a.feature).isEqualTo(b.feature);
    assertThat(a.goLeft).isEqualTo(b.goLeft);
  }

  @Test
  void blockSamplingDrawsWithTheModelsProbability() {
    int[][] train = table(5);
    Booster b = Booster.fit(train, CARD, ORDERED, 3, all(N), 20);
    int shift = 9;
    int m = 1 << shift;
    dev.ersatz.core.random.RandomSource rng = dev.ersatz.core.random.RandomSource.of(6);
    for (int[] row : new int[][] {{0, 0, 0}, {5, 19, 4}, {2, 10, 1}}) {
      double p = b.probability(row, 1);
      int ones = 0;
      int rounds = 40;
      for (int round = 0; round < rounds; round++) {
        int[] block = new int[4 * m];
        for (int c = 0; c < 3; c++) {
          java.util.Arrays.fill(block, c * m, (c + 1) * m, row[c]);
        }
        b.sample(block, shift, m, new double[m], new int[m], new int[m], new int[m], rng);
        for (int i = 0; i < m; i++) {
          ones += block[3 * m + i];
        }
      }
      double n = (double) rounds * m;
      double sd = Math.sqrt(n * p * (1 - p));
      // five standard deviations: a false failure about once in 3.5 million runs
      assertThat((double) ones).as("ones for %s, p = %.3f", java.util.Arrays.toString(row), p)
          .isCloseTo(n * p, org.assertj.core.data.Offset.offset(5 * sd + 1));
    }
  }

  /** Depth of the deepest leaf below {@code node}. */
  private static int depth(Booster b, int node) {
    return b.feature[node] < 0 ? 0 : 1 + Math.max(depth(b, b.left[node]), depth(b, b.right[node]));
  }

  @Test
  void depthTwoTreesAreCompiledIntoPairTablesThatSumToTheSameLogOdds() {
    int[][] train = table(7);
    // a third predictor interacting with the category, so that trees split on pairs
    Booster b = Booster.fit(train, CARD, ORDERED, 3, all(N), 20, Booster.PAIRS);
    assertThat(b.trees()).isEqualTo(Booster.PAIRS.rounds());
    for (int root : b.roots) {
      assertThat(depth(b, root)).isLessThanOrEqualTo(2);
    }
    assertThat(b.tables()).as("tables over one or two predictors").isBetween(1, 3 + 3);
    // every combination of the predictors' cells: the tables against a walk of every tree
    int m = CARD[0] * CARD[1] * CARD[2];
    int shift = Integer.SIZE - Integer.numberOfLeadingZeros(m - 1);
    int size = 1 << shift;
    int[] block = new int[4 * size];
    int i = 0;
    for (int a = 0; a < CARD[0]; a++) {
      for (int c = 0; c < CARD[1]; c++) {
        for (int e = 0; e < CARD[2]; e++) {
          block[i] = a;
          block[size + i] = c;
          block[2 * size + i] = e;
          i++;
        }
      }
    }
    double[] acc = new double[size];
    b.logits(block, shift, m, acc, new int[size], new int[size], new int[size]);
    for (int r = 0; r < m; r++) {
      double walked = b.walkLogit(block, size, r);
      assertThat(acc[r]).as("row %d", r)
          .isCloseTo(walked, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(b.logit(block, size, r)).as("row %d, one row at a time", r)
          .isCloseTo(walked, org.assertj.core.data.Offset.offset(1e-9));
    }
  }

  @Test
  void deeperTreesAreWalkedNotCompiled() {
    Booster b = Booster.fit(table(8), CARD, ORDERED, 3, all(N), 20);
    assertThat(b.tables()).isZero();
  }

  @Test
  void pairTablesLearnTheKnownDependencyToo() {
    int[][] train = table(9);
    Booster b = Booster.fit(train, CARD, ORDERED, 3, all(N), 20, Booster.PAIRS);
    int[][] test = table(10);
    double err = 0;
    for (int r = 0; r < N; r++) {
      err += Math.abs(b.probability(new int[] {test[0][r], test[1][r], test[2][r]}, 1)
          - truth(test, r));
    }
    // mean |p - true p| about 0.06; the marginal's is about 0.23
    assertThat(err / N).isLessThan(0.1);
  }

  @Test
  void pairTablesTooLargeAreWalkedInstead() {
    // two many-celled predictors whose interaction decides the label: their pair table would
    // hold 1,500 x 1,000 entries, more than a booster may be compiled into
    int n = 4000;
    RandomSource rng = RandomSource.of(11);
    int[][] cells = new int[3][n];
    for (int r = 0; r < n; r++) {
      cells[0][r] = rng.nextInt(1500);
      cells[1][r] = rng.nextInt(1000);
      cells[2][r] = (cells[0][r] < 750) ^ (cells[1][r] < 500) ? 1 : 0;
    }
    int[] card = {1500, 1000, 2};
    Booster b = Booster.fit(cells, card, new boolean[] {true, true, false}, 2, all(n), 20,
        Booster.PAIRS);
    assertThat((long) card[0] * card[1]).isGreaterThan(Booster.Pairs.MAX_ENTRIES);
    assertThat(b.tables()).isZero();
    assertThat(b.probability(new int[] {100, 100}, 1)).isLessThan(0.2);
    assertThat(b.probability(new int[] {100, 900}, 1)).isGreaterThan(0.8);
  }

  @Test
  void aStoppedFitEndsBeforeItsFirstRound() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Booster.fit(table(12), CARD,
        ORDERED, 3, all(N), 20, Booster.PAIRS, () -> true))
        .isInstanceOf(java.util.concurrent.CancellationException.class);
  }
}
