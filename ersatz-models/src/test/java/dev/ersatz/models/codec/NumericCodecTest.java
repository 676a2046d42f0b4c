package dev.ersatz.models.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ersatz.core.json.Json;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.models.PrivacySettings;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class NumericCodecTest {
  private static final PrivacySettings K5 = new PrivacySettings(5);

  /** Hours a week: 1 to 99 in steps of one, with the given values added at the ends. */
  private static NumericCodec hours(double... ends) {
    double[] v = new double[300 + ends.length];
    for (int i = 0; i < 300; i++) {
      v[i] = 10 + (i % 80);
    }
    System.arraycopy(ends, 0, v, 300, ends.length);
    return NumericCodec.fit(ColumnData.Numbers.copyOf(v), K5, 1);
  }

  /** Every value the codec can emit below its lower clip bound and above its upper one. */
  private static Set<Double> tails(NumericCodec c) {
    Set<Double> out = new TreeSet<>();
    for (int cell = 0; cell < c.cells(); cell++) {
      for (double w : new double[] {0, 0.5, 0.999}) {
        double x = c.value(cell, w);
        if (!Double.isNaN(x) && (x < 10 || x > 89)) {
          out.add(x);
        }
      }
    }
    return out;
  }

  /** Days since 1970-01-01 of a date, in epoch seconds. */
  private static double day(int y, int m, int d) {
    return java.time.LocalDate.of(y, m, d).toEpochDay() * 86400.0;
  }

  /** Every value a codec emits at positions 0, 0.01, ..., 0.99 of each cell. */
  private static Set<Double> emitted(NumericCodec c) {
    Set<Double> out = new TreeSet<>();
    for (int cell = 0; cell < c.cells(); cell++) {
      for (int i = 0; i < 100; i++) {
        double x = c.value(cell, i / 100.0);
        if (!Double.isNaN(x)) {
          out.add(x);
        }
      }
    }
    return out;
  }

  @Test
  void monthlyWeeklyAndYearlyDatesStayOnTheirCalendar() {
    double[] monthly = new double[240];
    double[] weekly = new double[240];
    double[] yearly = new double[240];
    double[] daily = new double[240];
    for (int i = 0; i < 240; i++) {
      monthly[i] = day(2000 + i / 12, 1 + i % 12, 1);
      weekly[i] = day(2021, 1, 4) + 7 * 86400.0 * (i % 100); // Mondays
      yearly[i] = day(1900 + i % 80, 1, 1);
      daily[i] = day(2021, 1, 1) + 86400.0 * (i % 200);
    }
    assertThat(NumericCodec.calendarOf(ColumnData.Numbers.copyOf(monthly)))
        .containsExactly(NumericCodec.MONTH, 0);
    assertThat(NumericCodec.calendarOf(ColumnData.Numbers.copyOf(yearly)))
        .containsExactly(NumericCodec.YEAR, 0);
    int[] w = NumericCodec.calendarOf(ColumnData.Numbers.copyOf(weekly));
    assertThat(w[0]).isEqualTo(NumericCodec.WEEK);
    assertThat(NumericCodec.calendarOf(ColumnData.Numbers.copyOf(daily))).isNull();
    assertThat(NumericCodec.calendarOf(ColumnData.Numbers.copyOf(
        new double[] {day(2020, 1, 1), day(2020, 2, 1), day(2020, 1, 1)}))).isNull();
    // three Mondays may be chance; five are a weekly series
    assertThat(NumericCodec.calendarOf(ColumnData.Numbers.copyOf(java.util.Arrays.copyOf(
        weekly, 3)))).isNull();
    assertThat(NumericCodec.calendarOf(ColumnData.Numbers.copyOf(java.util.Arrays.copyOf(
        weekly, 5)))).containsExactly(NumericCodec.WEEK, w[1]);
    assertThat(NumericCodec.calendarOf(ColumnData.Numbers.copyOf(
        new double[] {day(2020, 1, 1) + 3600, day(2020, 2, 1), day(2020, 3, 1)}))).isNull();

    NumericCodec m = NumericCodec.fit(ColumnData.Numbers.copyOf(monthly), K5, 86400)
        .withCalendar(NumericCodec.MONTH, 0);
    Set<Double> months = emitted(m);
    assertThat(months).hasSizeGreaterThan(100);
    for (double x : months) {
      assertThat(java.time.LocalDate.ofEpochDay((long) (x / 86400)).getDayOfMonth()).isEqualTo(1);
    }
    NumericCodec wk = NumericCodec.fit(ColumnData.Numbers.copyOf(weekly), K5, 86400)
        .withCalendar(w[0], w[1]);
    for (double x : emitted(wk)) {
      assertThat(java.time.LocalDate.ofEpochDay((long) (x / 86400)).getDayOfWeek())
          .isEqualTo(java.time.DayOfWeek.MONDAY);
    }
    NumericCodec yr = NumericCodec.fit(ColumnData.Numbers.copyOf(yearly), K5, 86400)
        .withCalendar(NumericCodec.YEAR, 0);
    for (double x : emitted(yr)) {
      assertThat(java.time.LocalDate.ofEpochDay((long) (x / 86400)).getDayOfYear()).isEqualTo(1);
    }
    assertThat(wk.calendarDescription()).isEqualTo("on Mondays");
    assertThat(m.calendarDescription()).isEqualTo("on the first of each month");
    assertThat(NumericCodec.fit(ColumnData.Numbers.copyOf(daily), K5, 86400)
        .calendarDescription()).isNull();
    // the calendar travels with the model file
    NumericCodec back = NumericCodec.fromJson(Json.parseObject(Json.write(wk.toJson())));
    assertThat(emitted(back)).isEqualTo(emitted(wk));
  }

  /**
   * A real extreme held by two or more rows singles no one out and is emitted as is: synthetic
   * and real ranges then agree, which scores binning each table on its own min and max need.
   */
  @Test
  void aSharedExtremeIsKept() {
    assertThat(tails(hours(1, 1, 2, 99, 99, 98))).containsExactly(1.0, 99.0);
  }

  /** A lone extreme is one person's value: it is rounded outward, never emitted. */
  @Test
  void aLoneExtremeIsRoundedOutward() {
    // span 98 rounds to units of 0.1, so whole numbers move one unit: 0 and 100
    assertThat(tails(hours(1, 2, 2, 98, 98, 99))).containsExactly(0.0, 100.0);
  }

  /**
   * A small column's tails are a visible share of it (four rows of forty on each side): half of
   * a tail's draws spread evenly between the clip bound and the tail value instead of piling
   * on the tail value. A column of 1,000 values or more keeps the single value.
   */
  @Test
  void aSmallColumnsTailsSpreadToTheirValue() {
    double[] v = new double[40];
    for (int i = 0; i < v.length; i++) {
      v[i] = 100 + 10 * i; // 100 .. 490, every value once
    }
    NumericCodec c = NumericCodec.fit(ColumnData.Numbers.copyOf(v), K5, 1);
    int top = c.cellOf(490);
    assertThat(c.cellOf(460)).isEqualTo(top);
    assertThat(c.cellOf(450)).isNotEqualTo(top); // the clip bound itself stays in the body
    assertThat(c.upper()).isEqualTo(491); // a lone maximum rounded outward
    int atEnd = 0;
    int between = 0;
    for (int i = 0; i < 1000; i++) {
      double x = c.value(top, (i + 0.5) / 1000);
      assertThat(x).isBetween(450.0, 491.0);
      if (x == 491) {
        atEnd++;
      } else if (x > 455 && x < 486) {
        between++;
      }
    }
    assertThat(atEnd).isBetween(450, 550);
    assertThat(between).isGreaterThan(300); // 31 of the 41 values of the even half
    int bottom = c.cellOf(100);
    assertThat(c.value(bottom, 0.1)).isEqualTo(99);
    assertThat(c.value(bottom, 0.75)).isBetween(100.0, 139.0);
    NumericCodec back = NumericCodec.fromJson(Json.parseObject(Json.write(c.toJson())));
    assertThat(back.cellOf(490)).isEqualTo(top);
    assertThat(back.value(top, 0.25)).isEqualTo(c.value(top, 0.25));
    // a model file of the earlier layout (a single value per tail) still reads and encodes
    Map<String, Object> old = c.toJson();
    @SuppressWarnings("unchecked")
    List<Object> cells = (List<Object>) old.get("cells");
    assertThat((double[]) cells.get(0)).containsExactly(99, 99, 140);
    assertThat((double[]) cells.get(cells.size() - 1)).containsExactly(450, 491, 491);
    cells.set(0, new double[] {99});
    cells.set(cells.size() - 1, new double[] {491});
    NumericCodec earlier = NumericCodec.fromJson(Json.parseObject(Json.write(old)));
    assertThat(earlier.cellOf(490)).isEqualTo(top);
    assertThat(earlier.cellOf(100)).isEqualTo(bottom);
    assertThat(earlier.value(top, 0.25)).isEqualTo(491);

    double[] wide = new double[1200];
    for (int i = 0; i < wide.length; i++) {
      wide[i] = i;
    }
    NumericCodec w = NumericCodec.fit(ColumnData.Numbers.copyOf(wide), K5, 1);
    int wt = w.cellOf(1199);
    assertThat(w.value(wt, 0.01)).isEqualTo(w.value(wt, 0.99)).isEqualTo(w.upper());
  }

  /** The rounded bound stays on the grid despite the rounding error of the quotient. */
  @Test
  void anOutwardBoundLandsOnTheGrid() {
    // 10.81 / 1e-6 is 10810000.000000002 in doubles; a plain ceiling gave 10.810001
    assertThat(NumericCodec.outward(10.8, true, 1e-6, 9.52)).isCloseTo(10.81, within(1e-12));
    assertThat(NumericCodec.outward(1.27, false, 1e-6, 9.52)).isCloseTo(1.26, within(1e-12));
    assertThat(NumericCodec.outward(98, true, 1, 97)).isEqualTo(99);
    assertThat(NumericCodec.outward(1.7e9 + 0.5, true, 0.5, 3e7)).isEqualTo(1.7e9 + 100_000);
  }

  /**
   * Fewer than 2k values (a tiny table, or a column filled in for a handful of rows) cannot be
   * summarised by groups: storing their median released one person's value, and a single value
   * came out as is. Such a column stores no value and comes out empty.
   */
  @Test
  void fewerThanTwoKValuesReleaseNone() {
    double nan = Double.NaN;
    for (double[] v : new double[][] {{123457}, {nan, 1000, nan, 73311, 250000, nan},
        {1, 2, 3, 4, 5, 6, 7, 8, 9}}) {
      NumericCodec c = NumericCodec.fit(ColumnData.Numbers.copyOf(v), K5, 1);
      assertThat(c.cells()).isEqualTo(1);
      assertThat(c.missingCell()).isZero();
      assertThat(c.value(0, 0.5)).isNaN();
      for (double x : v) {
        assertThat(c.cellOf(x)).isEqualTo(c.missingCell());
        assertThat(c.inSupport(x)).isFalse();
      }
    }
    // a value that k of them share stands for all of them (a 0 in five of seven rows)
    NumericCodec shared = NumericCodec.fit(
        ColumnData.Numbers.copyOf(new double[] {0, 0, 9, 0, 0, 0, 40}), K5, 1);
    assertThat(shared.inSupport(9)).isFalse();
    assertThat(shared.value(shared.cellOf(40), 0.5)).isZero();
    assertThat(shared.value(shared.cellOf(0), 0.1)).isZero();
    // ten values are enough for k = 5; with k = 1 a single value is the user's choice
    double[] ten = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertThat(NumericCodec.fit(ColumnData.Numbers.copyOf(ten), K5, 1).inSupport(5)).isTrue();
    NumericCodec one = NumericCodec.fit(ColumnData.Numbers.copyOf(new double[] {7}),
        new PrivacySettings(1), 1);
    assertThat(one.value(one.cellOf(7), 0.5)).isEqualTo(7);
  }

  /** No value below the k-th smallest: nothing is top-coded on that side. */
  @Test
  void onlyASideWithValuesBeyondItsClipBoundIsTopCoded() {
    assertThat(tails(hours(99, 99))).containsExactly(99.0);
  }

  /**
   * Whole numbers 1 to 100, three rows each (none frequent enough to be a spike): every value of
   * a range, its two ends included, comes out in its share of the range. Without spreading ties
   * over their rounding interval the ends got about half their share, and a column's smallest
   * value could vanish from a sample.
   */
  @Test
  void everyValueOfARangeKeepsItsShare() {
    double[] v = new double[300];
    for (int i = 0; i < 300; i++) {
      v[i] = 1 + i / 3;
    }
    NumericCodec c = NumericCodec.fit(ColumnData.Numbers.copyOf(v), K5, 1);
    int cell = c.cellOf(2);
    Map<Double, Integer> counts = new TreeMap<>();
    int draws = 100_000;
    for (int i = 0; i < draws; i++) {
      counts.merge(c.value(cell, (i + 0.5) / draws), 1, Integer::sum);
    }
    // 1 and 100 are top-coded tails; 2 to 99 fill nine ranges of about 33 rows: the first
    // holds 2 to 12, three rows each
    assertThat(counts.keySet()).containsExactly(2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0,
        11.0, 12.0);
    for (int n : counts.values()) {
      assertThat(n / (double) draws).isBetween(0.8 / 11, 1.2 / 11);
    }
  }

  /**
   * On a column of at least 1,000 values the tails hold up to 2k - 1 rows, so that a sample as
   * large as the table almost surely draws the extreme; a smaller column keeps k - 1.
   */
  @Test
  void wideColumnsTopCodeUpTo2kMinus1Rows() {
    double[] v = new double[1200];
    for (int i = 0; i < v.length; i++) {
      v[i] = i + 1;
    }
    NumericCodec wide = NumericCodec.fit(ColumnData.Numbers.copyOf(v), K5, 1);
    int tail = wide.cellOf(1);
    for (double x = 2; x <= 9; x++) {
      assertThat(wide.cellOf(x)).as("value %s", x).isEqualTo(tail);
    }
    assertThat(wide.cellOf(10)).isNotEqualTo(tail);
    assertThat(wide.cellOf(1192)).isEqualTo(wide.cellOf(1200));
    assertThat(wide.cellOf(1191)).isNotEqualTo(wide.cellOf(1192));
    NumericCodec narrow = NumericCodec.fit(ColumnData.Numbers.copyOf(
        java.util.Arrays.copyOf(v, 999)), K5, 1);
    int narrowTail = narrow.cellOf(1);
    assertThat(narrow.cellOf(4)).isEqualTo(narrowTail);
    assertThat(narrow.cellOf(5)).isNotEqualTo(narrowTail);
  }

  /** Years of experience: 3,807 rows of 1 to 25, 88 tied at a cap of 26, one at 44. */
  private static double[] cappedExperience() {
    double[] v = new double[3896];
    for (int i = 0; i < 3807; i++) {
      v[i] = 1 + (i % 25);
    }
    for (int i = 3807; i < 3895; i++) {
      v[i] = 26;
    }
    v[3895] = 44;
    return v;
  }

  /** Expected rows at or above {@code x} in a sample of {@code n}, by the cells' probabilities. */
  private static double expectedAtLeast(NumericCodec c, double x, int n) {
    double[] p = c.probabilities();
    double rows = 0;
    int grid = 10_000;
    for (int cell = 0; cell < p.length; cell++) {
      int hits = 0;
      for (int i = 0; i < grid; i++) {
        double v = c.value(cell, (i + 0.5) / grid);
        hits += !Double.isNaN(v) && v >= x ? 1 : 0;
      }
      rows += p[cell] * n * hits / grid;
    }
    return rows;
  }

  @Test
  void aTailThinnedByTiesAtTheClipBoundBorrowsDrawsFromItsNeighbour() {
    NumericCodec c = NumericCodec.fit(ColumnData.Numbers.copyOf(cappedExperience()), K5, 1);
    // the tail beyond the bound (26) holds one row; it should hold 2k - 1 = 9, so that a sample
    // of the table's size draws the extreme (45: 44 rounded outward) almost surely
    assertThat(c.upper()).isEqualTo(45);
    assertThat(expectedAtLeast(c, 45, 3896)).isCloseTo(9, within(0.01));
    // the lender, the cap of 26, keeps the rest of its rows
    assertThat(expectedAtLeast(c, 26, 3896) - expectedAtLeast(c, 27, 3896))
        .isCloseTo(88 - 8, within(0.01));
    // the share survives the model file; a column without the need writes no field
    Map<String, Object> json = c.toJson();
    assertThat(json).containsKey("tailShareUpper").doesNotContainKey("tailShareLower");
    NumericCodec back = NumericCodec.fromJson(Json.parseObject(Json.write(json)));
    assertThat(Json.write(back.toJson())).isEqualTo(Json.write(json));
    assertThat(expectedAtLeast(back, 45, 3896)).isCloseTo(9, within(0.01));
    double[] plain = new double[3000];
    for (int i = 0; i < plain.length; i++) {
      plain[i] = i;
    }
    assertThat(NumericCodec.fit(ColumnData.Numbers.copyOf(plain), K5, 1).toJson())
        .doesNotContainKeys("tailShareUpper", "tailShareLower");
  }
}
