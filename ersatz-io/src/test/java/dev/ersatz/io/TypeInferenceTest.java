package dev.ersatz.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.table.ColumnData;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TypeInferenceTest {

  static TypeInference.Result infer(String name, String... values) {
    return TypeInference.infer(name, values, values.length);
  }

  static String[] gen(int n, IntFunction<String> f) {
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      out[i] = f.apply(i);
    }
    return out;
  }

  static ColumnType type(String name, String... values) {
    return infer(name, values).column().type();
  }

  @Test
  void emptyColumnIsCategoricalWithAWarning() {
    TypeInference.Result r = infer("x", "", "", "");
    assertThat(r.column().type()).isInstanceOf(ColumnType.Categorical.class);
    assertThat(r.warnings()).singleElement().asString().contains("'x' is empty in every row");
    assertThat(r.data().isMissing(0)).isTrue();
  }

  @Test
  void nullTokensAreMissingInNumericColumnsAndRecorded() {
    TypeInference.Result r = infer("age", "1", "NA", "3", "", "NA", "-");
    assertThat(r.column().type()).isEqualTo(ColumnType.Numeric.ofInteger());
    assertThat(r.column().missingToken()).isEqualTo("NA");
    ColumnData.Numbers n = (ColumnData.Numbers) r.data();
    assertThat(n.get(0)).isEqualTo(1.0);
    assertThat(n.isMissing(1)).isTrue();
    assertThat(n.isMissing(3)).isTrue();
    assertThat(n.isMissing(5)).isTrue();
    assertThat(infer("d", "2021-01-01", "?", "2021-01-03").column().missingToken()).isEqualTo("?");
    assertThat(infer("f", "1.5", "nan", "2.5").column().type())
        .isEqualTo(ColumnType.Numeric.ofDecimal(1, false));
  }

  @Test
  void nullTokensStayCategoriesInCategoricalColumns() {
    TypeInference.Result r = infer("workclass", "Private", "?", "State-gov", "?", "");
    assertThat(r.column().type()).isInstanceOf(ColumnType.Categorical.class);
    assertThat(r.column().missingToken()).isEmpty();
    ColumnData.Codes c = (ColumnData.Codes) r.data();
    assertThat(c.levels()).containsExactly("?", "Private", "State-gov");
    assertThat(c.get(1)).isEqualTo("?");
    assertThat(c.isMissing(4)).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"true,false", "Yes,No", "T,F", "y,n", "1,0", "TRUE,FALSE", "no,yes"})
  void booleansKeepTheirSpelling(String a, String b) {
    ColumnType t = type("flag", a, b, a, a, "");
    String lower = a.toLowerCase(Locale.ROOT);
    boolean aIsTrue = List.of("true", "yes", "t", "y", "1").contains(lower);
    assertThat(t).isEqualTo(aIsTrue ? new ColumnType.Bool(a, b) : new ColumnType.Bool(b, a));
  }

  @Test
  void booleanCodesIndexFalseThenTrue() {
    TypeInference.Result r = infer("alive", "yes", "no", "NA", "yes");
    assertThat(r.column().type()).isEqualTo(new ColumnType.Bool("yes", "no"));
    assertThat(r.column().missingToken()).isEqualTo("NA");
    ColumnData.Codes c = (ColumnData.Codes) r.data();
    assertThat(c.levels()).containsExactly("no", "yes");
    assertThat(c.toArray()).containsExactly(1, 0, -1, 1);
  }

  @Test
  void notBooleans() {
    assertThat(type("x", "yes", "no", "Yes")).isInstanceOf(ColumnType.Categorical.class);
    assertThat(type("x", "yes", "yes")).isInstanceOf(ColumnType.Categorical.class);
    assertThat(type("x", "1", "2")).isEqualTo(ColumnType.Numeric.ofInteger());
    assertThat(type("x", "yes", "false")).isInstanceOf(ColumnType.Categorical.class);
  }

  @Test
  void integers() {
    assertThat(type("n", "1", "-2", "+3", "0")).isEqualTo(ColumnType.Numeric.ofInteger());
    assertThat(type("n", "2e+05", "1e+06", "150000")).isEqualTo(ColumnType.Numeric.ofInteger());
    ColumnData.Numbers d = (ColumnData.Numbers) infer("n", "2e+05", "7").data();
    assertThat(d.get(0)).isEqualTo(200000.0);
    assertThat(type("n", "1", "2", "3", "3")).isEqualTo(ColumnType.Numeric.ofInteger()); // constant-ish
    assertThat(type("n", "5", "5", "5")).isEqualTo(ColumnType.Numeric.ofInteger()); // constant
  }

  @Test
  void leadingZerosStayLabels() {
    assertThat(type("zip", "007", "012", "100")).isInstanceOf(ColumnType.Categorical.class);
    assertThat(type("x", "00.5", "1.5")).isInstanceOf(ColumnType.Categorical.class);
  }

  @Test
  void decimalsScaleAndFixedScale() {
    assertThat(type("x", "1.5", "2.25", "3")).isEqualTo(ColumnType.Numeric.ofDecimal(2, false));
    assertThat(type("x", "100.0", "46.7")).isEqualTo(ColumnType.Numeric.ofDecimal(1, true));
    assertThat(type("x", "1.50", "2.25")).isEqualTo(ColumnType.Numeric.ofDecimal(2, true));
    assertThat(type("x", "1e-3", "2")).isEqualTo(ColumnType.Numeric.ofDecimal(3, false));
    assertThat(type("x", "1.5E+2", "2.5")).isEqualTo(ColumnType.Numeric.ofDecimal(1, false));
    assertThat(type("x", "0.1234567890123456", "1"))
        .isEqualTo(ColumnType.Numeric.ofDecimal(16, false));
    assertThat(type("x", "0.123456789012345678901", "1"))
        .isEqualTo(ColumnType.Numeric.ofDecimal(ColumnType.Numeric.MAX_SCALE, false)); // capped
    // whole numbers spelt "2.0" among longer fractions (pandas, R): the zero is not a format
    assertThat(type("x", "3.20000004768372", "2.0", "0.319599990844727"))
        .isEqualTo(ColumnType.Numeric.ofDecimal(15, false));
    assertThat(type("x", "2.0", "3.25")).isEqualTo(ColumnType.Numeric.ofDecimal(2, false));
    assertThat(type("x", "-0.5", ".25")).isEqualTo(ColumnType.Numeric.ofDecimal(2, false));
    assertThat(type("x", "1.5", "Infinity")).isInstanceOf(ColumnType.Categorical.class);
    assertThat(type("x", "1.5", "1e400")).isInstanceOf(ColumnType.Categorical.class);
    assertThat(type("x", "1.5", "1.5f")).isInstanceOf(ColumnType.Categorical.class);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "2021-03-04|2021-12-31|yyyy-MM-dd|true",
    "2021-03-04 10:11:12|2021-12-31 00:00:00|yyyy-MM-dd HH:mm:ss|false",
    "2021-03-04T10:11:12|2021-12-31T23:59:59|yyyy-MM-dd'T'HH:mm:ss|false",
    "2021-03-04 10:11|2021-12-31 00:00|yyyy-MM-dd HH:mm|false",
    "2021-03-04T10:11:12.345|2021-12-31T23:59:59.000|yyyy-MM-dd'T'HH:mm:ss.SSS|false",
    "2021-03-04T10:11:12Z|2021-12-31T23:59:59Z|yyyy-MM-dd'T'HH:mm:ss'Z'|false",
    "2021/03/04|2021/12/31|yyyy/MM/dd|true",
    "03/04/2021|12/11/2021|MM/dd/yyyy|true",
    "13/04/2021|31/12/2021|dd/MM/yyyy|true",
    "13.04.2021|31.12.2021|dd.MM.yyyy|true",
    "03/04/2021 10:11|12/31/2021 23:59|MM/dd/yyyy HH:mm|false",
    "03/04/2021 10:11:12|12/31/2021 23:59:59|MM/dd/yyyy HH:mm:ss|false",
    "13/04/2021 10:11|31/12/2021 23:59|dd/MM/yyyy HH:mm|false",
    "13/04/2021 10:11:12|31/12/2021 23:59:59|dd/MM/yyyy HH:mm:ss|false",
    "13.04.2021 10:11|31.12.2021 23:59|dd.MM.yyyy HH:mm|false",
    "2021/03/04 10:11:12|2021/12/31 23:59:59|yyyy/MM/dd HH:mm:ss|false",
    "2021-03-04T10:11|2021-12-31T23:59|yyyy-MM-dd'T'HH:mm|false",
    "2021-03-04 10:11:12.345|2021-12-31 23:59:59.000|yyyy-MM-dd HH:mm:ss.SSS|false",
    "2021-03-04T10:11:12.345Z|2021-12-31T23:59:59.000Z|yyyy-MM-dd'T'HH:mm:ss.SSS'Z'|false",
    "13-04-2021|31-12-2021|dd-MM-yyyy|true",
    "3/4/2021|12/31/2021|M/d/yyyy|true",
    "3/4/2021 9:05|12/31/2021 23:59|M/d/yyyy H:mm|false",
    "13/4/2021|31/12/2021|d/M/yyyy|true",
    "13.4.2021|1.12.2021|d.M.yyyy|true",
    "30-May-2018|01-Jun-2018|dd-MMM-yyyy|true",
    "3-May-2018|21-Jun-2018|d-MMM-yyyy|true",
    "30 May 2018|01 Jun 2018|dd MMM yyyy|true",
    "3 May 2018|21 Jun 2018|d MMM yyyy|true",
    "May 3, 2018|Jun 21, 2018|MMM d, yyyy|true",
    "Jun 12 1998|Mar 05 2010|MMM dd yyyy|true",
    "Jun 2 1998|Mar 15 2010|MMM d yyyy|true",
    "January 5, 2020|December 31, 2021|MMMM d, yyyy|true",
    "5 January 2020|31 December 2021|d MMMM yyyy|true",
    "2024-05-02T13:45:00+02:00|2024-12-31T23:59:59-05:00|yyyy-MM-dd'T'HH:mm:ssXXX|false",
    "2024-05-02T13:45:00.125+02:00|2024-12-31T23:59:59.000Z|yyyy-MM-dd'T'HH:mm:ss.SSSXXX|false",
    "2024-05-02 13:45:00+02:00|2024-12-31 23:59:59+00:00|yyyy-MM-dd HH:mm:ssXXX|false",
    "2024-05-02T13:45:00+0200|2024-12-31T23:59:59-0500|yyyy-MM-dd'T'HH:mm:ssx|false",
    "2024-05-02 13:45:00+02|2024-12-31 23:59:59-05|yyyy-MM-dd HH:mm:ssx|false",
    "2024-05-02 13:45:00.125+02|2024-12-31 23:59:59.000+0530|yyyy-MM-dd HH:mm:ss.SSSx|false",
    "13:45:00|23:59:59|HH:mm:ss|false",
    "13:45|00:00|HH:mm|false",
    "13:45:00.125|23:59:59.000|HH:mm:ss.SSS|false",
    "9:05|23:59|H:mm|false",
    "9:05:07|23:59:59|H:mm:ss|false",
    "9:05 AM|11:59 PM|h:mm a|false",
    "9:05:07 AM|12:00:00 PM|h:mm:ss a|false",
    "09:05 AM|11:59 PM|hh:mm a|false",
  })
  void datePatterns(String a, String b, String pattern, boolean dateOnly) {
    assertThat(type("when", a, b, "")).isEqualTo(new ColumnType.Datetime(pattern, dateOnly));
  }

  @Test
  void anOffsetNamesItsInstant() {
    ColumnData.Numbers d = (ColumnData.Numbers) infer("t", "1970-01-01T02:00:00+02:00",
        "1970-01-01T00:00:10Z").data();
    assertThat(d.get(0)).isEqualTo(0.0);
    assertThat(d.get(1)).isEqualTo(10.0);
    ColumnData.Numbers m = (ColumnData.Numbers) infer("m", "02-Jan-1970", "01-Jan-1970").data();
    assertThat(m.get(0)).isEqualTo(86400.0);
  }

  /**
   * A system that writes its local time gives every value one offset: kept as a literal, the
   * values read as the wall-clock times they show and come back as written (not shifted to UTC).
   */
  @Test
  void oneSharedOffsetIsKeptAsWritten() {
    assertThat(type("when", "2024-05-02T13:45:00+02:00", "2024-12-31T23:59:59+02:00", ""))
        .isEqualTo(new ColumnType.Datetime("yyyy-MM-dd'T'HH:mm:ss'+02:00'", false));
    assertThat(type("when", "2024-05-02 13:45:00-05:00", "2024-12-31 23:59:59-05:00"))
        .isEqualTo(new ColumnType.Datetime("yyyy-MM-dd HH:mm:ss'-05:00'", false));
    TypeInference.Result r = infer("t", "1970-01-01T02:00:00+02:00", "1970-01-01T02:00:10+02:00");
    assertThat(((ColumnData.Numbers) r.data()).get(0)).isEqualTo(7200.0);
    String pattern = ((ColumnType.Datetime) r.column().type()).pattern();
    assertThat(DatePattern.compile(pattern).formatString(7210.0))
        .isEqualTo("1970-01-01T02:00:10+02:00");
    assertThat(r.warnings()).isEmpty();
    // a change to summer time: instants, written in UTC, and the user is told
    TypeInference.Result dst = infer("t", "2024-03-30T12:00:00+01:00", "2024-03-31T12:00:00+02:00");
    assertThat(dst.column().type())
        .isEqualTo(new ColumnType.Datetime("yyyy-MM-dd'T'HH:mm:ssXXX", false));
    assertThat(dst.warnings()).singleElement().asString()
        .contains("'t' mixes time-zone offsets (+01:00, +02:00)").contains("written in UTC");
    // all in UTC: nothing to keep and nothing mixed
    TypeInference.Result utc = infer("t", "2024-03-30 12:00:00Z", "2024-03-31 12:00:00Z");
    assertThat(utc.column().type())
        .isEqualTo(new ColumnType.Datetime("yyyy-MM-dd HH:mm:ssXXX", false));
    assertThat(utc.warnings()).isEmpty();
  }

  /** A time of day is held as the seconds since midnight, and written back as a time. */
  @Test
  void aTimeOfDayIsSecondsSinceMidnight() {
    TypeInference.Result r = infer("t", "00:00", "13:45", "23:59", "NA");
    ColumnType.Datetime t = (ColumnType.Datetime) r.column().type();
    assertThat(t.timeOnly()).isTrue();
    ColumnData.Numbers d = (ColumnData.Numbers) r.data();
    assertThat(d.get(0)).isEqualTo(0.0);
    assertThat(d.get(1)).isEqualTo(13 * 3600 + 45 * 60.0);
    assertThat(d.get(2)).isEqualTo(86340.0);
    assertThat(d.get(3)).isNaN();
    DatePattern p = DatePattern.compile(t.pattern());
    assertThat(p.formatString(13 * 3600 + 45 * 60.0)).isEqualTo("13:45");
    // any value prints its time of day
    assertThat(p.formatString(86400 + 60.0)).isEqualTo("00:01");
    ColumnData.Numbers pm = (ColumnData.Numbers) infer("t", "9:05 PM", "12:00 AM").data();
    assertThat(pm.get(0)).isEqualTo(21 * 3600 + 5 * 60.0);
    assertThat(pm.get(1)).isEqualTo(0.0);
    // not times: an hour past 23, a minute past 59, a score with a one-digit second part
    assertThat(type("x", "24:00", "12:30")).isNotInstanceOf(ColumnType.Datetime.class);
    assertThat(type("x", "12:60", "12:30")).isNotInstanceOf(ColumnType.Datetime.class);
    assertThat(type("x", "3:1", "2:0")).isNotInstanceOf(ColumnType.Datetime.class);
    assertThat(new ColumnType.Datetime("yyyy-MM-dd HH:mm", false).timeOnly()).isFalse();
    assertThat(new ColumnType.Datetime("'day' HH:mm", false).timeOnly()).isTrue();
  }

  /** An offset written without a colon ({@code +0200}, PostgreSQL's {@code +02}). */
  @Test
  void anOffsetWithoutAColonIsReadToo() {
    ColumnData.Numbers d = (ColumnData.Numbers) infer("t", "1970-01-01 02:00:00+02",
        "1970-01-01 00:00:10+00").data();
    assertThat(d.get(0)).isEqualTo(0.0);
    assertThat(d.get(1)).isEqualTo(10.0);
    TypeInference.Result one = infer("t", "2024-05-02T13:45:00+0200", "2024-12-31T23:59:59+0200");
    assertThat(one.column().type())
        .isEqualTo(new ColumnType.Datetime("yyyy-MM-dd'T'HH:mm:ss'+0200'", false));
    assertThat(((ColumnData.Numbers) one.data()).get(0)).isEqualTo(
        java.time.LocalDateTime.of(2024, 5, 2, 13, 45).toEpochSecond(java.time.ZoneOffset.UTC));
    TypeInference.Result mixed = infer("t", "2024-03-30 12:00:00+01", "2024-03-31 12:00:00+02");
    assertThat(mixed.warnings()).singleElement().asString()
        .contains("'t' mixes time-zone offsets (+01, +02)");
  }

  @Test
  void dateValuesAreEpochSecondsUtc() {
    ColumnData.Numbers d = (ColumnData.Numbers) infer("d", "1970-01-02", "1969-12-31").data();
    assertThat(d.get(0)).isEqualTo(86400.0);
    assertThat(d.get(1)).isEqualTo(-86400.0);
    ColumnData.Numbers t = (ColumnData.Numbers) infer("t", "2000-03-01T00:00:01.250").data();
    assertThat(t.get(0)).isEqualTo(951868801.25);
  }

  @Test
  void compactDatesOnlyWhenTheNameSaysDate() {
    assertThat(type("birth_date", "19930101", "20201231"))
        .isEqualTo(new ColumnType.Datetime("yyyyMMdd", true));
    assertThat(type("amount", "19930101", "20201231")).isEqualTo(ColumnType.Numeric.ofInteger());
    assertThat(type("date", "19931301", "20201231")).isEqualTo(ColumnType.Numeric.ofInteger());
  }

  @Test
  void impossibleDatesAreNotDates() {
    assertThat(type("d", "2021-02-29", "2021-03-01")).isInstanceOf(ColumnType.Categorical.class);
    assertThat(type("d", "2020-02-29", "2021-03-01"))
        .isEqualTo(new ColumnType.Datetime("yyyy-MM-dd", true));
    assertThat(type("d", "2021-1-5", "2021-03-01")).isInstanceOf(ColumnType.Categorical.class);
  }

  @Test
  void identifiers() {
    assertThat(type("id", gen(25, i -> String.valueOf(1000 + i * 7919))))
        .isEqualTo(new ColumnType.Identifier("sequence", 1));
    assertThat(type("row", gen(25, i -> String.valueOf(5 + i))))
        .isEqualTo(new ColumnType.Identifier("sequence", 1)); // dense
    assertThat(type("population", gen(25, i -> String.valueOf(40_000 + i * 7919))))
        .isEqualTo(ColumnType.Numeric.ofInteger()); // unique but neither key-like nor dense
    assertThat(type("id", gen(19, i -> String.valueOf(i))))
        .isEqualTo(ColumnType.Numeric.ofInteger()); // too few
    assertThat(type("id", gen(25, i -> String.valueOf(i % 20))))
        .isEqualTo(ColumnType.Numeric.ofInteger()); // not unique
    // letters every value shares stay literal (A escaped, since A alone means "any letter")
    assertThat(type("ref", gen(25, i -> String.format(Locale.ROOT, "AB-%04d", i * 37))))
        .isEqualTo(new ColumnType.Identifier("\\AB-9999", 1));
    assertThat(type("ref", gen(25, i -> String.format(Locale.ROOT, "%cQ-%04d",
        (char) ('A' + i % 3), i * 37))))
        .isEqualTo(new ColumnType.Identifier("AQ-9999", 1));
    assertThat(type("u", gen(25, i -> String.format(Locale.ROOT,
        "%08x-1234-4abc-9def-%012x", i * 7919, i)))).isEqualTo(new ColumnType.Identifier("uuid", 1));
    assertThat(type("customer_key", gen(25, i -> "c" + i * i)))
        .isEqualTo(new ColumnType.Identifier("sequence", 1)); // name, mixed shapes
    assertThat(type("code", gen(25, i -> "c" + i * i)))
        .isInstanceOf(ColumnType.Categorical.class); // mixed shapes, ordinary name
    // camel-case key names (bank churn's CustomerId: sparse 8-digit numbers), not "paid"
    assertThat(type("CustomerId", gen(25, i -> String.valueOf(15_565_701 + i * 7919))))
        .isEqualTo(new ColumnType.Identifier("sequence", 1));
    assertThat(type("PassengerID", gen(25, i -> String.valueOf(1000 + i * 7919))))
        .isEqualTo(new ColumnType.Identifier("sequence", 1));
    assertThat(type("paid", gen(25, i -> String.valueOf(1000 + i * 7919))))
        .isEqualTo(ColumnType.Numeric.ofInteger());
    assertThat(type("price_id", gen(25, i -> i + ".5")))
        .isEqualTo(ColumnType.Numeric.ofDecimal(1, false)); // never decimals
    assertThat(type("zip", gen(25, i -> String.format(Locale.ROOT, "%05d", i))))
        .isEqualTo(new ColumnType.Identifier("99999", 1));
  }

  @Test
  void identifierValuesAreKeptAsStrings() {
    TypeInference.Result r = infer("id", gen(25, i -> i == 3 ? "" : String.valueOf(i)));
    ColumnData.Strings s = (ColumnData.Strings) r.data();
    assertThat(s.get(0)).isEqualTo("0");
    assertThat(s.isMissing(3)).isTrue();
  }

  @Test
  void freeText() {
    TypeInference.Result r = infer("notes", gen(10, i ->
        "The customer called on day " + i + " about the delivery and was happy in the end"));
    assertThat(r.column().type()).isInstanceOf(ColumnType.Text.class);
    assertThat(r.warnings()).singleElement().asString()
        .contains("'notes' looks like free text; kept out of the model");
    // long but repetitive: categorical
    assertThat(type("label", gen(10, i -> "A very long label that repeats itself for every row")))
        .isInstanceOf(ColumnType.Categorical.class);
  }

  @Test
  void highCardinalityCategoricalWarns() {
    TypeInference.Result r = infer("name", gen(3000, i -> "n" + (i % 2000)));
    assertThat(r.column().type()).isInstanceOf(ColumnType.Categorical.class);
    assertThat(r.warnings()).singleElement().asString().contains("'name' is categorical with");
  }

  @Test
  void aFewNonNumbersInANumericColumnWarn() {
    // one typo among 200 ages: categorical, and the user is told why (without the value); the
    // rare-values advice (declare it an identifier) would mislead here and is left out
    String[] ages = gen(200, i -> Integer.toString(18 + i % 60));
    ages[123] = "abc";
    TypeInference.Result r = infer("age", ages);
    assertThat(r.column().type()).isInstanceOf(ColumnType.Categorical.class);
    assertThat(r.warnings()).singleElement().asString()
        .contains("'age' is modelled as categorical because 1 of its 200 non-empty values is not")
        .contains("declare the column integer or decimal").doesNotContain("abc");
    // missing cells and null tokens are not counted as non-numbers
    ages[7] = "";
    ages[8] = "NA";
    assertThat(infer("age", ages).warnings()).singleElement().asString()
        .contains("1 of its 198 non-empty values");
    // codes with a few labels, zip-like codes with leading zeros, and real categoricals: silent
    assertThat(infer("code", gen(200, i -> i % 50 == 0 ? "X" : Integer.toString(i % 5)))
        .warnings()).isEmpty();
    assertThat(infer("zip", gen(200, i -> String.format(Locale.ROOT, "%05d", i % 40)))
        .warnings()).isEmpty();
    assertThat(infer("level", gen(200, i -> i % 3 == 0 ? "low" : Integer.toString(i % 30)))
        .warnings()).isEmpty();
  }

  @Test
  void blankCellsAreMissingInNumberColumns() {
    // Telco churn's TotalCharges: numbers, and a single space where there is no charge yet
    String[] charges = gen(100, i -> i % 10 == 0 ? " " : (20 + i) + ".5");
    TypeInference.Result r = infer("TotalCharges", charges);
    assertThat(r.column().type()).isEqualTo(ColumnType.Numeric.ofDecimal(1, false));
    assertThat(r.column().missingToken()).isEqualTo(" ");
    assertThat(r.warnings()).isEmpty();
    ColumnData.Numbers n = (ColumnData.Numbers) r.data();
    assertThat(n.isMissing(0)).isTrue();
    assertThat(n.get(1)).isEqualTo(21.5);
    // the most frequent null token is written back; at a tie a named one outranks a blank
    assertThat(infer("x", "1", " ", "NA", "2").column().missingToken()).isEqualTo("NA");
    assertThat(infer("x", "1", " ", "NA", " ").column().missingToken()).isEqualTo(" ");
    // in a label column a blank is a label
    assertThat(type("sex", "M", " ", "F", "M")).isInstanceOf(ColumnType.Categorical.class);
    assertThat(infer("sex", "M", " ", "F").data().isMissing(1)).isFalse();
  }

  @Test
  void whitespaceAroundNumbersAndDatesIsNotPartOfTheValue() {
    // UCI's adult.data writes "39, State-gov, 77516": the numbers are numbers, labels keep it
    TypeInference.Result age = infer("age", gen(50, i -> " " + (17 + i % 20)));
    assertThat(age.column().type()).isEqualTo(ColumnType.Numeric.ofInteger());
    assertThat(((ColumnData.Numbers) age.data()).get(0)).isEqualTo(17.0);
    assertThat(type("w", " 0.25", "1.5 ", "\t2.75"))
        .isEqualTo(ColumnType.Numeric.ofDecimal(2, false));
    assertThat(type("d", " 2021-01-02", "2021-03-04 ")).isEqualTo(
        new ColumnType.Datetime("yyyy-MM-dd", true));
    assertThat(infer("id", gen(30, i -> " " + (i + 1))).column().type())
        .isEqualTo(new ColumnType.Identifier("sequence", 1));
    assertThat(type("wc", " Private", " State-gov", " Private"))
        .isInstanceOf(ColumnType.Categorical.class);
    assertThat(type("b", " Yes", " No", " Yes")).isInstanceOf(ColumnType.Categorical.class);
  }

  @Test
  void currencyPercentAndGroupedNumbersAreNumbers() {
    TypeInference.Result money = infer("balance", "$1,234.50", "-$20.00", "$999.10",
        "$1,000,000.25", "NA");
    assertThat(money.column().type())
        .isEqualTo(ColumnType.Numeric.ofDecimal(2, true).withFormat("$", "", true));
    ColumnData.Numbers m = (ColumnData.Numbers) money.data();
    assertThat(m.get(0)).isEqualTo(1234.5);
    assertThat(m.get(1)).isEqualTo(-20.0);
    assertThat(m.get(3)).isEqualTo(1_000_000.25);
    assertThat(m.isMissing(4)).isTrue();
    assertThat(type("rate", "16.3%", "2.0%", "-0.5%"))
        .isEqualTo(ColumnType.Numeric.ofDecimal(1, true).withFormat("", "%", false));
    assertThat(type("units", "24,245", "862", "1,000"))
        .isEqualTo(ColumnType.Numeric.ofInteger().withFormat("", "", true));
    assertThat(type("eur", "€ 12", "€ 7", "€ 1,500"))
        .isEqualTo(ColumnType.Numeric.ofInteger().withFormat("€ ", "", true));
    // not one format: labels
    assertThat(type("x", "$5", "7%", "$3")).isInstanceOf(ColumnType.Categorical.class);
    assertThat(type("x", "1,2,3", "4,5", "6")).isInstanceOf(ColumnType.Categorical.class);
    assertThat(type("x", "$10-$20", "$20-$30", "$30+")).isInstanceOf(ColumnType.Categorical.class);
    assertThat(type("x", "$", "$5")).isInstanceOf(ColumnType.Categorical.class);
    // a formatted column also reads plain numbers (typed Parquet cells)
    ColumnType.Numeric t = ColumnType.Numeric.ofDecimal(2, true).withFormat("$", "", true);
    ColumnData.Numbers back = (ColumnData.Numbers) TypeInference.build(
        new Column("b", t, ""), new String[] {"$1,234.50", "78555.21"}, 2, null, null);
    assertThat(back.get(1)).isEqualTo(78555.21);
  }

  @Test
  void levelsAreSortedWhateverTheRowOrder() {
    ColumnData.Codes a = (ColumnData.Codes) infer("c", "b", "a", "c").data();
    ColumnData.Codes b = (ColumnData.Codes) infer("c", "c", "b", "a").data();
    assertThat(a.levels()).containsExactly("a", "b", "c").isEqualTo(b.levels());
  }

  @Test
  void inferenceIsDeterministicUnderRowPermutation() {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      values.add(i % 11 == 0 ? "NA" : i % 13 == 0 ? "?" : String.valueOf((i * 37) % 101));
    }
    Column first = infer("x", values.toArray(new String[0])).column();
    java.util.Collections.reverse(values);
    assertThat(infer("x", values.toArray(new String[0])).column()).isEqualTo(first);
    // NA (19 times) beats ? (14 times)
    assertThat(first.missingToken()).isEqualTo("NA");
  }
}
