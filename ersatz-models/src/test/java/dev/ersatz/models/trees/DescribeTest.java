package dev.ersatz.models.trees;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DescribeTest {
  /** A single leaf. */
  private static Tree stump() {
    return new Tree(new int[] {-1}, new int[] {-1}, new int[] {-1}, new int[] {0},
        new byte[0], new double[] {0.5, 1.0}, 2, new int[] {10});
  }

  /** Root split, then its left child split: depth 2. */
  private static Tree twoLevels() {
    return new Tree(new int[] {0, 1, -1, -1, -1}, new int[] {1, 3, -1, -1, -1},
        new int[] {2, 4, -1, -1, -1}, new int[] {0, 0, 0, 2, 4},
        new byte[] {1, 0, 1, 0}, new double[] {0.5, 1.0, 0.5, 1.0, 0.5, 1.0}, 2,
        new int[] {10, 6, 4, 3, 3});
  }

  /** inspect shows the deepest member's depth, not the first member's. */
  @Test
  void theDepthIsTheDeepestMembers() {
    assertThat(TreesModel.deepest(new Tree[] {stump(), twoLevels(), stump()})).isEqualTo(2);
    assertThat(TreesModel.deepest(new Tree[] {stump()})).isZero();
  }
}
