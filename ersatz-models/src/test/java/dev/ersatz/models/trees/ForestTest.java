package dev.ersatz.models.trees;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ersatz.core.ModelFormatException;
import dev.ersatz.core.random.RandomSource;
import org.junit.jupiter.api.Test;

class ForestTest {
  private static final int[] CARD = {4, 3, 3};

  /**
   * Column 0 ordered (4 cells), column 1 unordered (3 cells), target column 2 (3 cells). The
   * root sends cells 0..1 of column 0 left; its left child sends cells {0, 2} of column 1 left.
   * Leaves are certain: node 2 gives cell 2, node 3 cell 0, node 4 cell 1.
   */
  private static Tree certainTree() {
    return new Tree(new int[] {0, 1, -1, -1, -1}, new int[] {1, 3, -1, -1, -1},
        new int[] {2, 4, -1, -1, -1}, new int[] {0, 4, 0, 3, 6},
        new byte[] {1, 1, 0, 0, 1, 0, 1}, new double[] {0, 0, 1, 1, 1, 1, 0, 1, 1}, 3,
        new int[] {10, 6, 4, 3, 3});
  }

  /** Every row reaches the leaf the tree's own walk reaches, through both kinds of split. */
  @Test
  void routesEveryRowLikeTheTree() {
    Tree t = certainTree();
    Forest f = Forest.of(new Tree[] {t, t}, 2, CARD);
    int m = 12;
    int b = Forest.BLOCK;
    int[] block = new int[3 * b];
    for (int i = 0; i < m; i++) {
      block[i] = i % 4;
      block[b + i] = i / 4;
    }
    f.sample(m, block, 2 * b, new int[b], new int[b], new int[b], RandomSource.of(3));
    for (int i = 0; i < m; i++) {
      int leaf = t.leaf(new int[] {i % 4, i / 4, 0});
      int expected = leaf == 2 ? 2 : leaf == 3 ? 0 : 1;
      assertThat(block[2 * b + i]).as("row %d", i).isEqualTo(expected);
    }
  }

  /** Routing names each row's member and its leaf as a node of that member's own tree. */
  @Test
  void routeNamesTheMemberAndItsTreesLeaf() {
    Tree t = certainTree();
    Tree stump = new Tree(new int[] {-1}, new int[] {-1}, new int[] {-1}, new int[] {0},
        new byte[0], new double[] {0.2, 0.2, 1.0}, 3, new int[] {5});
    Forest f = Forest.of(new Tree[] {stump, t}, 2, CARD);
    int b = Forest.BLOCK;
    int m = b;
    int[] block = new int[3 * b];
    for (int i = 0; i < m; i++) {
      block[i] = i % 4;
      block[b + i] = (i / 4) % 3;
    }
    int[] member = new int[b];
    int[] leaf = new int[b];
    f.route(m, block, new int[b], new int[b], new int[b], member, leaf, RandomSource.of(4));
    int[] uses = new int[2];
    for (int i = 0; i < m; i++) {
      uses[member[i]]++;
      int expected = member[i] == 0 ? 0 : t.leaf(new int[] {i % 4, (i / 4) % 3, 0});
      assertThat(leaf[i]).as("row %d", i).isEqualTo(expected);
    }
    // 512 rows, each member with probability 1/2
    assertThat(uses[0]).isBetween(200, 312);
  }

  /**
   * A leaf's cells come out in proportion to its distribution: frequencies over 204,800 draws
   * within 6 binomial standard errors (false-failure rate about 1e-8 per cell).
   */
  @Test
  void drawsFromTheLeafDistribution() {
    Tree t = new Tree(new int[] {-1}, new int[] {-1}, new int[] {-1}, new int[] {0},
        new byte[0], new double[] {0.2, 0.2, 1.0}, 3, new int[] {5});
    Forest f = Forest.of(new Tree[] {t}, 0, new int[] {3});
    int b = Forest.BLOCK;
    int m = 400 * b;
    int[] block = new int[b];
    int[] counts = new int[3];
    RandomSource rng = RandomSource.of(9);
    for (int r = 0; r < m; r += b) {
      f.sample(b, block, 0, new int[b], new int[b], new int[b], rng);
      for (int c : block) {
        counts[c]++;
      }
    }
    double[] p = {0.2, 0, 0.8};
    for (int c = 0; c < 3; c++) {
      assertThat(counts[c] / (double) m).as("cell %d", c)
          .isCloseTo(p[c], within(6 * Math.sqrt(p[c] * (1 - p[c]) / m) + 1e-12));
    }
  }

  @Test
  void rejectsSplitsOnColumnsNotYetDrawn() {
    assertThatThrownBy(() -> Forest.of(new Tree[] {certainTree()}, 1, CARD))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("splits on column 1");
  }
}
