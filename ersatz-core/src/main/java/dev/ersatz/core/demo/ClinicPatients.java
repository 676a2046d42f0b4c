package dev.ersatz.core.demo;

import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.util.List;

/**
 * The built-in demo table: clinic patients, made in code from a seed (no real person in it).
 *
 * <p>Columns depend on each other the way clinical data does: age drives diagnosis, blood
 * pressure and length of stay; smokers get more COPD; diabetics have high HbA1c (measured only
 * for some diagnoses, so it is often missing); cost grows with length of stay and diagnosis;
 * readmission is likelier for older, longer stays. A free-text {@code notes} column and a
 * {@code patient_id} key show how Ersatz treats text and identifiers.
 */
public final class ClinicPatients {
  static final List<String> DIAGNOSES = List.of("hypertension", "type 2 diabetes", "asthma",
      "COPD", "fracture", "routine check-up", "pneumonia", "migraine");
  static final List<String> SEXES = List.of("F", "M");
  static final List<String> WARDS = List.of("cardiology", "endocrinology", "pulmonology",
      "orthopaedics", "general", "neurology");
  private static final String[] NOTE_WORDS = {"patient", "reports", "mild", "severe", "pain",
      "since", "last", "week", "no", "fever", "follow-up", "advised", "rest", "and", "fluids",
      "blood", "pressure", "stable", "prescribed", "review", "in", "two", "weeks", "symptoms",
      "improving", "referred", "to", "specialist", "for", "further", "tests"};

  private ClinicPatients() {}

  /** The schema of the demo table. */
  public static Schema schema() {
    return Schema.of(List.of(
        Column.of("patient_id", new ColumnType.Identifier("P999999", 0)),
        Column.of("age", ColumnType.Numeric.ofInteger()),
        Column.of("sex", new ColumnType.Categorical()),
        Column.of("smoker", new ColumnType.Bool("yes", "no")),
        Column.of("visit_date", new ColumnType.Datetime("yyyy-MM-dd", true)),
        Column.of("diagnosis", new ColumnType.Categorical()),
        Column.of("ward", new ColumnType.Categorical()),
        Column.of("bmi", ColumnType.Numeric.ofDecimal(1, true)),
        Column.of("systolic_bp", ColumnType.Numeric.ofInteger()),
        Column.of("hba1c", ColumnType.Numeric.ofDecimal(1, true)),
        Column.of("length_of_stay", ColumnType.Numeric.ofInteger()),
        Column.of("cost", ColumnType.Numeric.ofDecimal(2, true)),
        Column.of("readmitted", new ColumnType.Bool("true", "false")),
        Column.of("notes", new ColumnType.Text())));
  }

  /**
   * Makes {@code rows} patients.
   *
   * @param rows number of rows, {@code >= 0}
   * @param seed every value follows from it
   */
  public static Table generate(int rows, long seed) {
    RandomSource rng = RandomSource.of(seed);
    String[] id = new String[rows];
    double[] age = new double[rows];
    int[] sex = new int[rows];
    int[] smoker = new int[rows];
    double[] visit = new double[rows];
    int[] diag = new int[rows];
    int[] ward = new int[rows];
    double[] bmi = new double[rows];
    double[] bp = new double[rows];
    double[] hba1c = new double[rows];
    double[] los = new double[rows];
    double[] cost = new double[rows];
    int[] readmitted = new int[rows];
    String[] notes = new String[rows];
    long day0 = java.time.LocalDate.of(2023, 1, 1).toEpochDay();
    for (int r = 0; r < rows; r++) {
      id[r] = String.format(java.util.Locale.ROOT, "P%06d", 100000 + r * 7 % 900000);
      double a = Math.max(18, Math.min(95, 52 + 18 * rng.nextGaussian()));
      age[r] = Math.rint(a);
      sex[r] = rng.nextDouble() < 0.52 ? 0 : 1;
      boolean smokes = rng.nextDouble() < (a < 40 ? 0.28 : 0.18) + (sex[r] == 1 ? 0.05 : 0);
      smoker[r] = smokes ? 1 : 0;
      visit[r] = (day0 + rng.nextInt(730)) * 86400.0;
      double[] w = {
          0.05 + 0.004 * (a - 18), // hypertension
          0.04 + 0.003 * (a - 18), // diabetes
          a < 40 ? 0.14 : 0.06, // asthma
          smokes ? 0.04 + 0.004 * (a - 18) : 0.01, // COPD
          a > 70 ? 0.12 : 0.06, // fracture
          0.22, // check-up
          a > 65 ? 0.10 : 0.04, // pneumonia
          a < 50 && sex[r] == 0 ? 0.12 : 0.05 // migraine
      };
      int d = pick(w, rng);
      diag[r] = d;
      ward[r] = switch (d) {
        case 0 -> 0;
        case 1 -> 1;
        case 2, 3, 6 -> 2;
        case 4 -> 3;
        case 7 -> 5;
        default -> 4;
      };
      double b = 26 + (d == 1 ? 4 : 0) + 0.04 * (a - 50) + 4 * rng.nextGaussian();
      bmi[r] = Math.rint(Math.max(15, Math.min(50, b)) * 10) / 10;
      double s = 112 + 0.45 * a + (d == 0 ? 18 : 0) + 0.6 * (bmi[r] - 26) + 11 * rng.nextGaussian();
      bp[r] = Math.rint(Math.max(85, Math.min(210, s)));
      if (d == 1 || (d == 0 && rng.nextDouble() < 0.5) || rng.nextDouble() < 0.1) {
        double h = d == 1 ? 7.8 + 1.2 * rng.nextGaussian() : 5.4 + 0.4 * rng.nextGaussian();
        hba1c[r] = Math.rint(Math.max(4, Math.min(14, h)) * 10) / 10;
      } else {
        hba1c[r] = Double.NaN;
      }
      double meanStay = switch (d) {
        case 4 -> 4.5;
        case 6 -> 5.5;
        case 3 -> 3.5;
        case 5 -> 0.05;
        default -> 1.2;
      } * (1 + (a - 50) / 80.0);
      int stay = 0;
      // a Poisson draw by inversion keeps lengths of stay integer and skewed
      double p = Math.exp(-Math.max(0.01, meanStay));
      double f = p;
      double u = rng.nextDouble();
      while (u > f && stay < 60) {
        stay++;
        p *= Math.max(0.01, meanStay) / stay;
        f += p;
      }
      los[r] = stay;
      double base = switch (d) {
        case 5 -> 140;
        case 4 -> 2600;
        case 6 -> 1900;
        default -> 420;
      };
      double c = (base + 780 * stay) * Math.exp(0.25 * rng.nextGaussian());
      cost[r] = Math.rint(c * 100) / 100;
      double pr = 0.04 + 0.02 * stay + (a > 70 ? 0.08 : 0) + (d == 3 ? 0.06 : 0);
      readmitted[r] = rng.nextDouble() < Math.min(0.9, pr) ? 1 : 0;
      if (rng.nextDouble() < 0.7) {
        int words = 8 + rng.nextInt(14);
        StringBuilder sb = new StringBuilder();
        for (int t = 0; t < words; t++) {
          if (t > 0) {
            sb.append(' ');
          }
          sb.append(NOTE_WORDS[rng.nextInt(NOTE_WORDS.length)]);
        }
        notes[r] = sb.append('.').toString();
      }
    }
    return Table.of(schema(), List.of(
        ColumnData.Strings.adopt(id),
        ColumnData.Numbers.adopt(age),
        ColumnData.Codes.adopt(sex, SEXES),
        ColumnData.Codes.adopt(smoker, List.of("no", "yes")),
        ColumnData.Numbers.adopt(visit),
        ColumnData.Codes.adopt(diag, DIAGNOSES),
        ColumnData.Codes.adopt(ward, WARDS),
        ColumnData.Numbers.adopt(bmi),
        ColumnData.Numbers.adopt(bp),
        ColumnData.Numbers.adopt(hba1c),
        ColumnData.Numbers.adopt(los),
        ColumnData.Numbers.adopt(cost),
        ColumnData.Codes.adopt(readmitted, List.of("false", "true")),
        ColumnData.Strings.adopt(notes)));
  }

  private static int pick(double[] w, RandomSource rng) {
    double s = 0;
    for (double x : w) {
      s += x;
    }
    double u = rng.nextDouble() * s;
    for (int i = 0; i < w.length; i++) {
      u -= w[i];
      if (u < 0) {
        return i;
      }
    }
    return w.length - 1;
  }
}
