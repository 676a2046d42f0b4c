package dev.ersatz.provenance;

import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures the watermark's detection power and false positive rates over many keyed trials, on
 * the output of a real generator, and writes the figures as Markdown (BENCHMARKS.md).
 *
 * <p>Arguments: trials, output file ("-" to print only), the shared data folder, then one or
 * more {@code name=synthetic.csv}: an un-watermarked output of {@code ersatz sample} from a model
 * fitted on {@code splits/<name>_train.csv.gz}. See BENCHMARKS.md for the commands.
 *
 * <p>Each trial draws a new key and one sampler batch: 8,192 rows of the synthetic output (its
 * rows are independent draws, so a random subset is distributed like a batch), embeds the
 * watermark as {@code sample --watermark} does, then attacks it: shuffle, subsample to 1,000
 * rows, drop a random half of the columns, write as CSV and read back with types re-inferred.
 * Null cases, where the key's watermark is absent: the real train split (a fresh 1,000-row
 * subsample per trial, and all of it for the first 20 keys), the un-watermarked synthetic output
 * (1,000 rows, plain and attacked the same way), and the attacked watermarked table tested with
 * another key.
 */
public final class WatermarkBench {
  static final int BATCH = 8192;
  static final int TESTED = 1000;

  private WatermarkBench() {}

  /** The key of trial {@code trial}: seeded, so runs repeat. */
  static WatermarkKey key(long trial) {
    RandomSource r = RandomSource.of(0x5EED_0000L + trial);
    byte[] b = new byte[32];
    for (int i = 0; i < 32; i += 8) {
      long x = r.nextLong();
      for (int k = 0; k < 8; k++) {
        b[i + k] = (byte) (x >>> (8 * k));
      }
    }
    return WatermarkKey.of(b);
  }

  /** Figures for one dataset. */
  record Result(String name, int trials, int columns, double[] pFull, double[] pAttacked,
      boolean[] keptFine, boolean[] keptCarrier, double[] pWrongKey, double[] pRealSub,
      double[] pRealFull, double[] pSynth, double[] pSynthAttacked, long unitsMedian,
      double changedCells, double seconds) {}

  public static void main(String[] args) throws IOException {
    int trials = Integer.parseInt(args[0]);
    Path out = args[1].equals("-") ? null : Path.of(args[1]);
    Path data = Path.of(args[2]);
    List<Result> results = new ArrayList<>();
    for (int i = 3; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      Table train = TestCsv.read(data.resolve("splits/" + kv[0] + "_train.csv.gz"));
      Table synth = TestCsv.read(Path.of(kv[1]));
      Result r = run(kv[0], train, synth, trials);
      results.add(r);
      System.err.println(summary(r));
    }
    String md = markdown(results);
    System.out.println(md);
    if (out != null) {
      Files.writeString(out, md, StandardCharsets.UTF_8);
    }
  }

  static Result run(String name, Table train, Table synth, int trials) throws IOException {
    long t0 = System.nanoTime();
    double[] pFull = new double[trials];
    double[] pAtt = new double[trials];
    boolean[] keptFine = new boolean[trials];
    boolean[] keptCarrier = new boolean[trials];
    double[] pWrong = new double[trials];
    double[] pReal = new double[trials];
    double[] pRealFull = new double[Math.min(trials, 20)];
    double[] pSynth = new double[trials];
    double[] pSynthAtt = new double[trials];
    long[] units = new long[trials];
    long changed = 0;
    long cells = 0;
    for (int t = 0; t < trials; t++) {
      WatermarkKey key = key(t);
      RandomSource rng = RandomSource.of(1_000_003L * (t + 1));
      Table batch = TestCsv.sampleRows(synth, BATCH, rng.split("batch"));
      Table wm = Watermark.embed(batch, key);
      if (t < 20) {
        for (int j = 0; j < batch.schema().size(); j++) {
          for (int r = 0; r < batch.rowCount(); r++) {
            cells++;
            changed += TestCsv.cell(batch, j, r).equals(TestCsv.cell(wm, j, r)) ? 0 : 1;
          }
        }
      }
      pFull[t] = Watermark.detect(wm, key).pValue();
      Table attacked = attack(wm, rng.split("attack"));
      Watermark.Detection d = Watermark.detect(attacked, key);
      pAtt[t] = d.pValue();
      units[t] = d.units();
      keptFine[t] = hasFineColumn(attacked);
      keptCarrier[t] = hasCarrier(attacked);
      pWrong[t] = Watermark.detect(attacked, key(t + 1_000_000)).pValue();
      pReal[t] = Watermark.detect(TestCsv.sampleRows(train, TESTED, rng.split("real")), key)
          .pValue();
      if (t < pRealFull.length) {
        pRealFull[t] = Watermark.detect(train, key).pValue();
      }
      pSynth[t] = Watermark.detect(TestCsv.sampleRows(synth, TESTED, rng.split("synth")), key)
          .pValue();
      pSynthAtt[t] = Watermark.detect(attack(synth, rng.split("synth-attack")), key).pValue();
    }
    Arrays.sort(units);
    return new Result(name, trials, train.schema().size(), pFull, pAtt, keptFine, keptCarrier,
        pWrong, pReal, pRealFull, pSynth, pSynthAtt, units[trials / 2],
        cells == 0 ? 0 : (double) changed / cells, (System.nanoTime() - t0) / 1e9);
  }

  /** Shuffle, 1,000 rows, a random half of the columns dropped, CSV round trip. */
  static Table attack(Table t, RandomSource rng) throws IOException {
    return TestCsv.roundTrip(TestCsv.dropHalfColumns(
        TestCsv.sampleRows(t, TESTED, rng.split("rows")), rng.split("cols")));
  }

  /** Whether some numeric column holds mostly fine values (at least 4 significant digits). */
  static boolean hasFineColumn(Table t) {
    for (int j = 0; j < t.schema().size(); j++) {
      if (t.column(j) instanceof ColumnData.Numbers nums) {
        int fine = 0;
        for (int r = 0; r < t.rowCount(); r++) {
          fine += Watermark.fine(nums.get(r)) ? 1 : 0;
        }
        if (fine * 2 > t.rowCount()) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether some numeric column has at least 20 distinct coarse values (a carrier). */
  static boolean hasCarrier(Table t) {
    for (int j = 0; j < t.schema().size(); j++) {
      if (t.column(j) instanceof ColumnData.Numbers nums) {
        java.util.Set<Double> coarse = new java.util.HashSet<>();
        for (int r = 0; r < t.rowCount(); r++) {
          double v = nums.get(r);
          if (!Double.isNaN(v) && !Watermark.fine(v)) {
            coarse.add(v);
          }
        }
        if (coarse.size() >= Watermark.Options.DEFAULTS.minCarrierLevels()) {
          return true;
        }
      }
    }
    return false;
  }

  static double[] select(double[] p, boolean[] a, boolean wantA, boolean[] b, Boolean wantB) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < p.length; i++) {
      if (a[i] == wantA && (wantB == null || b[i] == wantB)) {
        out.add(p[i]);
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  static double share(double[] p, double alpha) {
    int c = 0;
    for (double x : p) {
      c += x <= alpha ? 1 : 0;
    }
    return p.length == 0 ? Double.NaN : c / (double) p.length;
  }

  static double quantile(double[] p, double q) {
    if (p.length == 0) {
      return Double.NaN;
    }
    double[] s = p.clone();
    Arrays.sort(s);
    return s[(int) Math.min(s.length - 1, Math.floor(q * s.length))];
  }

  static String summary(Result r) {
    return String.format(Locale.ROOT, "%s: power(attacked)=%.3f power(batch)=%.3f FP at 1e-6: "
        + "real=%.4f synth=%.4f synth-attacked=%.4f wrong-key=%.4f; median units %d; %.0f s",
        r.name(), share(r.pAttacked(), 1e-6), share(r.pFull(), 1e-6), share(r.pRealSub(), 1e-6),
        share(r.pSynth(), 1e-6), share(r.pSynthAttacked(), 1e-6), share(r.pWrongKey(), 1e-6),
        r.unitsMedian(), r.seconds());
  }

  static String markdown(List<Result> rs) {
    StringBuilder sb = new StringBuilder();
    sb.append("| dataset | table tested | key | trials | share with p <= 1e-6 | p <= 0.01 "
        + "| median p | largest p (min for nulls) |\n|---|---|---|---|---|---|---|---|\n");
    for (Result r : rs) {
      row(sb, r.name(), "watermarked batch (8,192 rows)", "right", r.pFull(), false);
      row(sb, r.name(), "attacked: 1,000 rows, half the columns, via CSV", "right",
          r.pAttacked(), false);
      row(sb, r.name(), "... a column of fine numbers kept", "right",
          select(r.pAttacked(), r.keptFine(), true, r.keptCarrier(), null), false);
      row(sb, r.name(), "... no fine column, a carrier kept", "right",
          select(r.pAttacked(), r.keptFine(), false, r.keptCarrier(), true), false);
      row(sb, r.name(), "... neither a fine column nor a carrier kept", "right",
          select(r.pAttacked(), r.keptFine(), false, r.keptCarrier(), false), false);
      row(sb, r.name(), "attacked watermarked table", "wrong", r.pWrongKey(), true);
      row(sb, r.name(), "real train split, 1,000-row subsample", "any", r.pRealSub(), true);
      row(sb, r.name(), "real train split, all rows", "any", r.pRealFull(), true);
      row(sb, r.name(), "un-watermarked synthetic output, 1,000 rows", "any", r.pSynth(), true);
      row(sb, r.name(), "un-watermarked synthetic output, attacked", "any",
          r.pSynthAttacked(), true);
    }
    sb.append('\n');
    for (Result r : rs) {
      sb.append(String.format(Locale.ROOT, "- %s (%d columns): %.1f%% of cells changed by the "
          + "embedding (first 20 batches); median units kept after the attack %d; %.0f s for "
          + "the whole run%n", r.name(), r.columns(), 100 * r.changedCells(), r.unitsMedian(),
          r.seconds()));
    }
    return sb.toString();
  }

  static void row(StringBuilder sb, String name, String what, String key, double[] p,
      boolean isNull) {
    sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %.4f | %.4f | %.3g | %.3g |%n",
        name, what, key, p.length, share(p, 1e-6), share(p, 0.01), quantile(p, 0.5),
        isNull ? quantile(p, 0.0) : quantile(p, 1.0 - 1e-12)));
  }
}
