package dev.ersatz.privacy.mst;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.core.schema.ColumnType;
import org.junit.jupiter.api.Test;

/** The dp generator's data-independent grids and their refinement. */
class GridTest {
  @Test
  void refiningSplitsOnlyTheNamedBucketsAndKeepsTheRest() {
    Grid g = Grid.forType(ColumnType.Numeric.ofInteger(), null);
    int t = g.bucket(2008);
    assertThat(g.lo(t)).isEqualTo(1962);
    assertThat(g.hi(t)).isEqualTo(2048);
    Grid f = g.refine(t, t + 1, 64);
    assertThat(f.size()).isEqualTo(g.size() + 63);
    // integer parts end on whole numbers, one per part, in order
    for (int i = t; i < t + 64; i++) {
      assertThat(f.hi(i)).isGreaterThan(f.lo(i));
      assertThat(f.lo(i)).isEqualTo(Math.rint(f.lo(i)));
    }
    assertThat(f.lo(t)).isEqualTo(1962);
    assertThat(f.hi(t + 63)).isEqualTo(2048);
    // buckets either side are unchanged, shifted by the added parts
    assertThat(f.lo(t - 1)).isEqualTo(g.lo(t - 1));
    assertThat(f.lo(t + 64)).isEqualTo(g.lo(t + 1));
    assertThat(f.bucket(2008)).isBetween(t, t + 63);
    assertThat(f.lo(f.bucket(2008))).isLessThanOrEqualTo(2008);
    assertThat(f.hi(f.bucket(2008))).isGreaterThan(2008);
    assertThat(f.bucket(100)).isEqualTo(g.bucket(100));
    assertThat(f.bucket(5000)).isEqualTo(g.bucket(5000) + 63);
  }

  /** A time of day's domain is the day, known from its type: five-minute buckets over it. */
  @Test
  void aTimeOfDayIsCountedInFiveMinuteBucketsOverTheDay() {
    Grid g = Grid.forType(new ColumnType.Datetime("HH:mm", false), null);
    assertThat(g.size()).isEqualTo(288);
    assertThat(g.lo(0)).isZero();
    assertThat(g.hi(287)).isEqualTo(86400);
    assertThat(g.bucket(13 * 3600 + 7 * 60)).isEqualTo(13 * 12 + 1);
    // a date-time keeps its weekly grid
    assertThat(Grid.forType(new ColumnType.Datetime("yyyy-MM-dd HH:mm", false), null).size())
        .isGreaterThan(10_000);
  }

  @Test
  void anIntegerBucketNarrowerThanThePartsSplitsIntoWholeNumbers() {
    Grid g = Grid.forType(ColumnType.Numeric.ofInteger(), null);
    int t = g.bucket(300); // [296, 309): 13 whole numbers
    Grid f = g.refine(t, t + 1, 64);
    assertThat(f.size()).isEqualTo(g.size() + (int) (g.hi(t) - g.lo(t)) - 1);
    for (int i = t; i < t + (int) (g.hi(t) - g.lo(t)); i++) {
      assertThat(f.hi(i) - f.lo(i)).isEqualTo(1);
    }
  }

  @Test
  void aDecimalBucketSplitsIntoEqualParts() {
    Grid g = Grid.forType(ColumnType.Numeric.ofDecimal(4, false), null);
    int t = g.bucket(-93.6);
    Grid f = g.refine(t, t + 1, 64);
    double w = (g.hi(t) - g.lo(t)) / 64;
    assertThat(f.hi(t) - f.lo(t)).isCloseTo(w, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(f.hi(t + 63)).isEqualTo(g.hi(t));
  }
}
